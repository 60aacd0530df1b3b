package dev.pixelbus.web;

import dev.pixelbus.api.ErrorCode;
import dev.pixelbus.bridge.BridgePermissions;
import dev.pixelbus.bridge.BridgeSettings;
import dev.pixelbus.common.auth.FailedAttempts;
import dev.pixelbus.common.auth.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SockJS event-bus bridge at {@code /eventbus}, for browsers and Node through Vert.x's official
 * npm client ({@code @vertx/eventbus-bridge-client.js}). It lets through what the TCP bridge does
 * ({@link BridgePermissions}) under the same limits ({@code bridge.*}):
 * <ul>
 *   <li>a frame over {@code maxFrameBytes} closes the WebSocket (Netty's frame limit), and a longer
 *       XHR post gets 413;</li>
 *   <li>past {@code maxConnections} sockets, a new one is closed at once;</li>
 *   <li>past {@code maxInFlight} requests waiting for their answers, the next is refused
 *       ({@code max_handlers_reached}: the bridge's own per-socket limit);</li>
 *   <li>a socket that sends no ping for {@code idleTimeoutMs} is closed (the npm client pings every 5 s).</li>
 * </ul>
 * A send to an address that is not permitted gets a failure with code 403 at its reply address, so
 * that the client's callback hears it, and the bridge's own {@code rejected} error (the client's
 * {@code onerror}).
 *
 * <p>With {@code auth.tokens} set, every send, publish and register carries
 * {@code headers.authorization = "Bearer TOKEN"} (the npm client's {@code defaultHeaders}); one
 * without gets 401 at its reply address, and after {@link #MAX_BAD_FRAMES} such frames the socket is
 * closed. The header is taken off before the message goes on the bus: no token travels further.
 */
final class SockJsBridge {
  private static final Logger LOG = LoggerFactory.getLogger(SockJsBridge.class);

  /** Frames without a good token one socket may send before it is closed. */
  static final int MAX_BAD_FRAMES = 3;

  private final BridgeSettings settings;
  private final Tokens tokens;
  private final FailedAttempts failures;
  private final Set<SockJSSocket> sockets = new HashSet<>();
  private final Map<SockJSSocket, Integer> badFrames = new HashMap<>();

  SockJsBridge(BridgeSettings settings, Tokens tokens, FailedAttempts failures) {
    this.settings = settings;
    this.tokens = tokens;
    this.failures = failures;
  }

  /** WebSocket frames and messages up to the bridge's frame limit (Vert.x's defaults are 64 KiB and 256 KiB). */
  HttpServerOptions serverOptions() {
    int max = (int) settings.maxFrameBytes();
    return new HttpServerOptions().setMaxWebSocketFrameSize(max).setMaxWebSocketMessageSize(max);
  }

  /** Mounts the bridge on {@code /eventbus}. */
  void mount(Vertx vertx, Router router) {
    SockJSBridgeOptions options = BridgePermissions.permit(new SockJSBridgeOptions())
        .setMaxHandlersPerSocket(settings.maxInFlight())
        .setPingTimeout(settings.idleTimeoutMs())
        .setReplyTimeout(settings.sockjs().replyTimeoutMs());
    SockJSHandler sockJs = SockJSHandler.create(vertx, new SockJSHandlerOptions());
    // The XHR transports post their frames: bounded like a WebSocket frame.
    router.route("/eventbus/*").handler(BodyHandler.create(false).setBodyLimit(settings.maxFrameBytes()));
    router.route("/eventbus/*").subRouter(sockJs.bridge(options, this::event));
  }

  int connections() {
    return sockets.size();
  }

  /**
   * Closes every socket, for a stop: a WebSocket never finishes by itself, so the HTTP server's
   * graceful shutdown would otherwise wait for its whole timeout. Clients see a close and reconnect
   * elsewhere (the npm client's onclose).
   */
  void closeAll() {
    for (SockJSSocket socket : List.copyOf(sockets)) {
      socket.close(1001, "pixelbus is shutting down");
    }
    sockets.clear();
  }

  private void event(BridgeEvent e) {
    BridgeEventType type = e.type();
    switch (type) {
      case SOCKET_CREATED -> {
        if (sockets.size() >= settings.maxConnections()) {
          LOG.warn("SockJS bridge: {} sockets open (bridge.maxConnections); one more closed", sockets.size());
          e.complete(false); // the bridge closes the socket
          return;
        }
        sockets.add(e.socket());
      }
      case SOCKET_CLOSED -> {
        sockets.remove(e.socket());
        badFrames.remove(e.socket());
      }
      case SEND, PUBLISH -> {
        String address = e.getRawMessage().getString("address");
        if (!BridgePermissions.maySend(address)) {
          refuse(e, ErrorCode.FORBIDDEN, "access denied: the bridge does not let clients send to " + address);
          e.complete(false);
          return;
        }
        if (!authorized(e, address)) {
          e.complete(false);
          return;
        }
      }
      case REGISTER -> {
        String address = e.getRawMessage().getString("address");
        if (!BridgePermissions.mayRegister(address) || !authorized(e, address)) {
          e.complete(false);
          return;
        }
      }
      default -> {
      }
    }
    e.complete(true);
  }

  /**
   * Whether the frame carries a token that may call {@code address}; if so the token is taken off
   * the frame, else the frame's reply address hears why (and a socket with too many such frames is
   * closed).
   */
  private boolean authorized(BridgeEvent e, String address) {
    JsonObject raw = e.getRawMessage();
    JsonObject headers = raw.getValue("headers") instanceof JsonObject h ? h : new JsonObject();
    Object given = headers.remove("authorization"); // never onto the bus, even where no token is asked for
    if (!tokens.required()) {
      return true;
    }
    String client = e.socket().remoteAddress() == null ? "?" : e.socket().remoteAddress().hostAddress();
    long now = System.currentTimeMillis();
    long wait = failures.retryAfterMs(client, now);
    Tokens.Verdict verdict = wait > 0 ? null : tokens.check(given instanceof String g ? g : null, address);
    if (verdict == Tokens.Verdict.OK) {
      return true;
    }
    if (verdict == null) {
      refuse(e, ErrorCode.TOO_MANY_REQUESTS, "too many wrong tokens from " + client + "; try again in "
          + (wait + 999) / 1000 + " s");
    } else if (verdict == Tokens.Verdict.NOT_PERMITTED) {
      refuse(e, ErrorCode.FORBIDDEN, "this token may not call " + address);
    } else {
      if (verdict == Tokens.Verdict.WRONG) {
        failures.failed(client, now);
      }
      refuse(e, ErrorCode.UNAUTHORIZED, verdict == Tokens.Verdict.WRONG ? "the token is not one of auth.tokens"
          : "send the token in headers.authorization as \"Bearer TOKEN\"");
    }
    if (badFrames.merge(e.socket(), 1, Integer::sum) >= MAX_BAD_FRAMES) {
      LOG.info("SockJS bridge: {} sent {} frames without a good token; closed", client, MAX_BAD_FRAMES);
      e.socket().close(4001, "unauthorized");
    }
    return false;
  }

  /** A refused frame's reply address hears why, as a failure with the contract's code. */
  private static void refuse(BridgeEvent e, ErrorCode code, String message) {
    String replyAddress = e.getRawMessage().getString("replyAddress");
    if (replyAddress != null) {
      JsonObject err = new JsonObject().put("type", "err").put("address", replyAddress)
          .put("failureCode", code.code).put("failureType", "RECIPIENT_FAILURE").put("message", message);
      e.socket().write(Buffer.buffer(err.encode()));
    }
  }
}
