package dev.pixelbus.common.auth;

import io.vertx.core.Future;
import io.vertx.core.net.NetServerOptions;
import java.util.function.Supplier;

/**
 * How a listener with a {@code tls} section starts, the same for each (the HTTP server, the TCP bridge's
 * front), so that both say the same things:
 * <ol>
 *   <li>{@link #configure}: TLS on the server's options, with the PEM pair;</li>
 *   <li>{@link #listen}: the pair checked readable off the event loop (the TLS library's own words on a
 *       missing file name no file; the check names the key and the path), then the listen, whose failure
 *       with TLS on names the key and both files, then the pair watched for rotation.</li>
 * </ol>
 * With TLS off, only the listen runs, and its failure is passed on as it is.
 */
public final class TlsStartup {
  private TlsStartup() {
  }

  /** TLS on {@code options} when the section sets a pair (the pair is read when the server starts). */
  public static <O extends NetServerOptions> O configure(TlsSettings tls, O options) {
    if (tls.enabled()) {
      options.setSsl(true).setKeyCertOptions(tls.keyCert());
    }
    return options;
  }

  /**
   * Starts a listener that {@link #configure} set up.
   *
   * @param reloader the listener's reloader: its settings and name ({@code http}, {@code bridge}) are the
   *                 ones checked and named, and it starts watching once the listener listens
   * @param listen   binds the server
   * @return the listen's result
   */
  public static <S> Future<S> listen(TlsReloader reloader, Supplier<Future<S>> listen) {
    return listen(reloader, Future::succeededFuture, listen);
  }

  /**
   * As {@link #listen(TlsReloader, Supplier)}, with a step between the check and the listen (the TCP
   * bridge starts the bridge behind its front there). A failure of that step is passed on as it is.
   */
  public static <S> Future<S> listen(TlsReloader reloader, Supplier<Future<?>> before, Supplier<Future<S>> listen) {
    TlsSettings tls = reloader.tls();
    String name = reloader.name();
    Future<Void> readable = tls.enabled() ? reloader.vertx().executeBlocking(() -> {
      tls.checkReadable(name);
      return null;
    }, false) : Future.succeededFuture();
    return readable
        .compose(x -> before.get())
        .compose(x -> listen.get().recover(e -> Future.failedFuture(tls.enabled()
            ? new IllegalArgumentException(name + ".tls: cannot serve with " + tls.certPath() + " and " + tls.keyPath()
                + ": " + e.getMessage(), e) : e)))
        .compose(s -> reloader.start().map(s));
  }
}
