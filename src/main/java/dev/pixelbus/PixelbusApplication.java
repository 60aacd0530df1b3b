package dev.pixelbus;

import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The server: Vert.x's launcher (it parses -conf, -cluster, -options, -instances and the rest)
 * deploying {@link MainVerticle}. Naming the verticle here, rather than in the manifest, lets
 * {@link Main} own {@code main}.
 *
 * <p>SIGTERM and SIGINT (Ctrl+C) close Vert.x (every part stops accepting, tells its clients and
 * drains) and then exit 0; a JVM left to its default handler would exit 143 or 130 however cleanly
 * it stopped. If the close takes longer than {@code shutdownTimeoutMs}, the process exits 1.
 */
public final class PixelbusApplication extends VertxApplication implements VertxApplicationHooks {
  private static final Logger LOG = LoggerFactory.getLogger(PixelbusApplication.class);
  private volatile MainVerticle main;

  public PixelbusApplication(String[] args) {
    super(args, null, true, true);
  }

  @Override
  public Supplier<? extends Deployable> verticleSupplier() {
    return () -> main = new MainVerticle();
  }

  /** Netty's epoll transport where it loads (Linux): fewer copies and system calls than NIO for the echo port. */
  @Override
  public JsonObject afterVertxOptionsParsed(JsonObject parsed) {
    JsonObject options = parsed == null ? new JsonObject() : parsed; // null when no -options is given
    if (!options.containsKey("preferNativeTransport")) {
      options.put("preferNativeTransport", true);
    }
    return options;
  }

  /**
   * As soon as Vert.x exists, not after the deployment: MainVerticle logs "pixelbus ready" from its
   * start, before the launcher's deployed hook runs, and a SIGTERM sent on that line (as scripts do)
   * found the JVM's default handler and exited 143.
   */
  @Override
  public void afterVertxStarted(HookContext context) {
    Vertx vertx = context.vertx();
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), signal -> shutDown(vertx, signal.getName()));
    }
  }

  private void shutDown(Vertx vertx, String signal) {
    long timeout = main == null ? MainVerticle.DEFAULT_SHUTDOWN_TIMEOUT_MS : main.shutdownTimeoutMs();
    LOG.info("SIG{}: shutting down (at most {} ms)", signal, timeout);
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(timeout);
        LOG.error("shutdown took longer than {} ms; exiting anyway", timeout);
        Runtime.getRuntime().halt(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "pixelbus-shutdown-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    // The watchdog is the one timeout: it halts, because exit() would run the launcher's own hook,
    // which closes Vert.x again and could hang the same way.
    try {
      vertx.close().toCompletionStage().toCompletableFuture().join();
      System.exit(0);
    } catch (RuntimeException e) {
      LOG.error("shutdown failed: {}", e.toString());
      System.exit(1);
    }
  }
}
