package dev.pixelbus.app;

import dev.pixelbus.app.config.ConfigLoader;
import dev.pixelbus.bridge.BridgeSettings;
import dev.pixelbus.bridge.BridgeVerticle;
import dev.pixelbus.common.auth.AuthSettings;
import dev.pixelbus.echo.EchoSettings;
import dev.pixelbus.echo.EchoVerticle;
import dev.pixelbus.fetch.FetchSettings;
import dev.pixelbus.fetch.FetchVerticle;
import dev.pixelbus.image.ImageModule;
import dev.pixelbus.image.ImageSettings;
import dev.pixelbus.grpc.GrpcSettings;
import dev.pixelbus.web.HttpApiVerticle;
import dev.pixelbus.web.HttpSettings;
import dev.pixelbus.web.source.SourceSettings;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the configuration and deploys every part of pixelbus as its children. On shutdown Vert.x
 * undeploys the children, in parallel, before this verticle stops; so each part drains itself
 * (the image dispatcher answers every request it accepted before it stops).
 */
public final class MainVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(MainVerticle.class);
  static final long DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;
  private volatile long shutdownTimeoutMs = DEFAULT_SHUTDOWN_TIMEOUT_MS;

  @Override
  public Future<?> start() {
    return ConfigLoader.load(vertx, config()).compose(conf -> {
      LogSetup.setLevel(conf.getJsonObject("log", new JsonObject()).getString("level"));
      shutdownTimeoutMs = conf.getLong("shutdownTimeoutMs", DEFAULT_SHUTDOWN_TIMEOUT_MS);
      if (shutdownTimeoutMs < 1) {
        long given = shutdownTimeoutMs;
        shutdownTimeoutMs = DEFAULT_SHUTDOWN_TIMEOUT_MS;
        return Future.failedFuture(new IllegalArgumentException("shutdownTimeoutMs must be 1 or more, not " + given));
      }
      String role = conf.getString("role", "all");
      if (!role.equals("all") && !role.equals("worker")) {
        return Future.failedFuture(new IllegalArgumentException("role must be all or worker, not " + role));
      }
      // Every part's settings first: a bad value stops the start before anything listens.
      ImageSettings image = ImageSettings.from(conf);
      EchoSettings echo = EchoSettings.from(conf);
      FetchSettings fetch = FetchSettings.from(conf);
      HttpSettings http = HttpSettings.from(conf);
      BridgeSettings bridge = BridgeSettings.from(conf);
      AuthSettings auth = AuthSettings.from(conf);
      SourceSettings sources = SourceSettings.from(conf);
      GrpcSettings grpc = GrpcSettings.from(conf);
      if (role.equals("all")) {
        List<String> anonymous = ProtectedMode.check(auth, http, sources, bridge, echo);
        if (!anonymous.isEmpty()) {
          LOG.warn("Serving beyond loopback without credentials ({}): anyone who reaches {} may use it",
              String.join(", ", anonymous), anonymous.size() == 1 ? "that port" : "those ports");
        }
      }
      Future<?> deployed = vertx.deployVerticle(new ImageModule(image));
      if (role.equals("all")) {
        // A worker node (role worker) only lends its image workers to the cluster: no ports, no local jobs.
        deployed = deployed
            .compose(id -> deployIf(echo.enabled(), () -> new EchoVerticle(echo)))
            .compose(id -> deployIf(fetch.enabled(), () -> new FetchVerticle(fetch, FetchVerticle.Destinations.GUARDED)))
            .compose(id -> deployIf(http.enabled(), () -> new HttpApiVerticle(http, sources, bridge, auth, echo.enabled(), grpc)))
            .compose(id -> deployIf(bridge.enabled(), () -> new BridgeVerticle(bridge, auth)));
      }
      return deployed
          .onSuccess(ids ->
          LOG.info("pixelbus ready in {} ms from JVM start (role {}): {} image workers, queue {}, inputs {}, outputs {};"
              + " {} transport", sinceJvmStart(), role, image.workers(), image.queueCapacity(), image.inputRoots(),
              image.outputRoot(), vertx.isNativeTransportEnabled() ? "native" : "NIO"));
    });
  }

  private Future<?> deployIf(boolean enabled, Supplier<Deployable> part) {
    return enabled ? vertx.deployVerticle(part.get()) : Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    LOG.info("pixelbus stopped");
    return Future.succeededFuture();
  }

  /** How long a graceful shutdown may take before the process gives up on it (config {@code shutdownTimeoutMs}). */
  public long shutdownTimeoutMs() {
    return shutdownTimeoutMs;
  }

  /**
   * The JVM's own record of its start. The process's start time from /proc was 20 s off on the
   * development machine (it is counted from the boot time, whole seconds, against a clock that
   * drifts), which made a 0.8 s start read 20 s.
   */
  static long sinceJvmStart() {
    return System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
  }
}
