package dev.pixelbus.echo;

import dev.pixelbus.api.Addresses;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The echo server: deploys the NetServer instances as its children and answers
 * {@code pixelbus.echo.stats}. Vert.x undeploys the children before this stops, so the counters it
 * logs at shutdown are final.
 */
public final class EchoVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(EchoVerticle.class);
  private final EchoSettings settings;
  private final EchoCounters counters = new EchoCounters();
  private MessageConsumer<Object> stats;
  private EchoServerVerticle first;
  private int port;

  public EchoVerticle(EchoSettings settings) {
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    stats = vertx.eventBus().localConsumer(Addresses.ECHO_STATS,
        msg -> msg.reply(counters.toJson().put("host", settings.host()).put("port", port)));
    return vertx.deployVerticle(this::newInstance, new DeploymentOptions().setInstances(settings.instances()))
        .onSuccess(id -> {
          port = first.actualPort();
          LOG.info("echo listening on {}:{} ({} instances, max {} connections)",
              settings.host(), port, settings.instances(), settings.maxConnections());
        });
  }

  @Override
  public Future<?> stop() {
    LOG.info("echo stopped: {}", counters.toJson().encode());
    return stats.unregister();
  }

  /** The port the instances share (the configured one, or the one picked for port 0). */
  public int port() {
    return port;
  }

  private synchronized EchoServerVerticle newInstance() {
    EchoServerVerticle instance = new EchoServerVerticle(settings, counters);
    if (first == null) {
      first = instance;
    }
    return instance;
  }
}
