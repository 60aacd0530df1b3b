package dev.pixelbus.bridge;

import dev.pixelbus.api.Addresses;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;

/**
 * What a bridge client may do, for both bridges (TCP and SockJS): send to the contract's request
 * addresses ({@link Addresses#REQUESTS}) and register for its events ({@link Addresses#EVENTS}), and
 * nothing else: never the image module's own addresses (chunks, workers). Exact addresses, since a
 * {@link PermittedOptions} with neither address nor regex would permit everything.
 */
public final class BridgePermissions {
  private BridgePermissions() {
  }

  public static <T extends BridgeOptions> T permit(T options) {
    Addresses.REQUESTS.forEach(a -> options.addInboundPermitted(new PermittedOptions().setAddress(a)));
    Addresses.EVENTS.forEach(a -> options.addOutboundPermitted(new PermittedOptions().setAddress(a)));
    return options;
  }

  /** Whether a client may send to {@code address}. */
  public static boolean maySend(String address) {
    return Addresses.REQUESTS.contains(address);
  }

  /** Whether a client may register for {@code address}. */
  public static boolean mayRegister(String address) {
    return Addresses.EVENTS.contains(address);
  }
}
