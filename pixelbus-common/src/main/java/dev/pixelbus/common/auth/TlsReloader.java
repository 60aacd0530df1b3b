package dev.pixelbus.common.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.ServerSSLOptions;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rotation without a restart: looks at a listener's PEM files every {@code reloadCheckMs}, and when
 * they have changed gives the server the new pair (connections open keep theirs). A pair that does
 * not load is logged (once) and the old one kept. The files are looked at on a worker thread.
 */
public final class TlsReloader {
  private static final Logger LOG = LoggerFactory.getLogger(TlsReloader.class);

  private final Vertx vertx;
  private final TlsSettings tls;
  private final String name;
  private final Function<ServerSSLOptions, Future<Boolean>> update;
  private String seen;
  private long timer = -1;

  /**
   * @param update the server's {@code updateSSLOptions(options, true)}
   */
  public TlsReloader(Vertx vertx, TlsSettings tls, String name, Function<ServerSSLOptions, Future<Boolean>> update) {
    this.vertx = vertx;
    this.tls = tls;
    this.name = name;
    this.update = update;
  }

  /** The listener it watches, for {@link TlsStartup}: its settings, its name in messages, its Vert.x. */
  TlsSettings tls() {
    return tls;
  }

  String name() {
    return name;
  }

  Vertx vertx() {
    return vertx;
  }

  /** Starts looking (nothing when TLS is off or reloadCheckMs is 0). */
  public Future<Void> start() {
    if (!tls.enabled() || tls.reloadCheckMs() == 0) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(tls::fingerprint, false).map(f -> {
      seen = f;
      timer = vertx.setPeriodic(tls.reloadCheckMs(), id -> check());
      return null;
    });
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** Looks now (the timer's work). */
  public Future<Boolean> check() {
    return vertx.executeBlocking(tls::fingerprint, false).compose(now -> {
      if (now.equals(seen)) {
        return Future.succeededFuture(false);
      }
      seen = now; // once per change: a pair that does not load is logged once, not every period
      return update.apply(tls.sslOptions()).map(updated -> {
        LOG.info("{}: TLS certificate reloaded from {}", name, tls.certPath());
        return updated;
      }).recover(e -> {
        LOG.warn("{}: the new TLS pair ({}, {}) does not load, keeping the old one: {}", name, tls.certPath(),
            tls.keyPath(), e.toString());
        return Future.succeededFuture(false);
      });
    });
  }
}
