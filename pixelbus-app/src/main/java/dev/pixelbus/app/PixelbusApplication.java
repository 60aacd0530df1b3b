package dev.pixelbus.app;

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

  /**
   * The server's defaults under whatever {@code -options} gives: Netty's epoll transport where it loads
   * (Linux: fewer copies and system calls than NIO for the echo port), and Vert.x's metrics on, with
   * the JVM's and a Prometheus registry, which {@code /metrics} serves. {@code -options} keeps the last
   * word: {@code {"metricsOptions":{"enabled":false}}} turns them off, and its labels, categories and
   * the rest take effect (the launcher turns the JSON into vertx-micrometer-metrics' options).
   */
  @Override
  public JsonObject afterVertxOptionsParsed(JsonObject parsed) {
    return withServerDefaults(parsed == null ? new JsonObject() : parsed); // null when no -options is given
  }

  static JsonObject withServerDefaults(JsonObject options) {
    putAbsent(options, "preferNativeTransport", true);
    JsonObject metrics = options.getJsonObject("metricsOptions", new JsonObject());
    options.put("metricsOptions", metrics);
    putAbsent(metrics, "enabled", true);
    putAbsent(metrics, "jvmMetricsEnabled", true);
    // Without a backend Vert.x would keep its meters in Micrometer's global registry, which /metrics cannot scrape.
    JsonObject prometheus = metrics.getJsonObject("prometheusOptions", new JsonObject());
    metrics.put("prometheusOptions", prometheus);
    putAbsent(prometheus, "enabled", true);
    return options;
  }

  /** A default under what {@code -options} gave: a key it set, even to null or false, keeps its value. */
  private static void putAbsent(JsonObject json, String key, Object value) {
    if (!json.containsKey(key)) {
      json.put(key, value);
    }
  }


  /** Set by afterVertxStarted; read by the signal handler, which may run before it is set. */
  private volatile Vertx vertx;
  private volatile boolean shuttingDown;

  /**
   * The handlers go in before Vert.x starts (a -cluster join takes seconds, and a SIGTERM then found
   * the JVM's default handler and exited 143). Before Vert.x exists nothing is served, so a signal
   * then simply exits 0; after, it closes Vert.x: see {@link #shutDown}.
   */
  @Override
  public void beforeStartingVertx(HookContext context) {
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), signal -> {
        shuttingDown = true;
        Vertx started = vertx;
        if (started == null) {
          LOG.info("SIG{} while starting: nothing served yet; exiting", signal.getName());
          System.exit(0);
        }
        shutDown(started, signal.getName());
      });
    }
  }

  /**
   * As soon as Vert.x exists, not after the deployment: MainVerticle logs "pixelbus ready" from its
   * start, before the launcher's deployed hook runs.
   */
  @Override
  public void afterVertxStarted(HookContext context) {
    vertx = context.vertx();
  }

  /**
   * A signal during the deployment closes Vert.x, which fails the deployment; the launcher would then
   * exit 15, racing the shutdown's exit 0. While shutting down, this waits for that exit instead.
   */
  @Override
  public void afterFailureToDeployVerticle(HookContext context, Throwable t) {
    if (!shuttingDown && t instanceof IllegalArgumentException) {
      // A setting that cannot be served (a bad value, protected mode, a certificate that cannot be read):
      // the one line that says which, rather than a stack trace of Vert.x's deployment.
      System.err.println("pixelbus: " + t.getMessage());
      System.exit(2);
    }
    if (shuttingDown) {
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
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
