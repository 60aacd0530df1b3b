package dev.pixelbus.app.cli;

import dev.pixelbus.app.config.ConfigLoader;
import dev.pixelbus.common.PathPolicy;
import dev.pixelbus.image.ImageModule;
import dev.pixelbus.image.ImageSettings;
import dev.pixelbus.image.batch.BatchRunner;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The image workers inside a one-shot command: a Vert.x of its own, the image service deployed on
 * it with the command's worker count, and paths that are the user's own (no roots but /). In a
 * cluster, the Vert.x joins it (Hazelcast, conf/cluster.xml), and may deploy no workers at all: a
 * coordinator that lends the work to the other nodes.
 */
public final class LocalImages implements AutoCloseable {
  public final Vertx vertx;
  public final PathPolicy paths = new PathPolicy(List.of(Path.of("/")), Path.of("/"));
  private String deployment;
  private JsonObject loaded;

  /** @param workers 0 for one per core */
  public LocalImages(int workers) {
    this(workers, null, 0);
  }

  /**
   * @param workers     in a cluster, 0 deploys no workers here; otherwise 0 means one per core
   * @param clusterHost null for a Vert.x of this process only; else the address this node is reached at
   *                    in the cluster ("" for the cluster manager's choice)
   * @param clusterPort the event-bus port in the cluster, 0 for a free one
   */
  public LocalImages(int workers, String clusterHost, int clusterPort) {
    vertx = clusterHost == null ? Vertx.vertx() : joinCluster(clusterHost, clusterPort);
    try {
      if (clusterHost == null || workers > 0) {
        deploy(workers);
      }
    } catch (RuntimeException e) {
      close(); // the event loops would keep the JVM alive
      throw e;
    }
  }

  private static Vertx joinCluster(String host, int port) {
    ConfigLoader.useClusterXml();
    EventBusOptions bus = new EventBusOptions().setPort(port);
    if (!host.isEmpty()) {
      bus.setHost(host);
    }
    VertxOptions options = new VertxOptions().setEventBusOptions(bus).setPreferNativeTransport(true);
    return Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager()).buildClustered().await();
  }

  /**
   * The configuration as the server would read it (conf/config.json, -D and PIXELBUS_ overrides),
   * with the command's worker count and no roots but /.
   */
  public JsonObject config(int workers) {
    if (loaded == null) {
      loaded = ConfigLoader.load(vertx, new JsonObject()).await(); // read once: a bench deploys once per worker count
    }
    JsonObject conf = loaded.copy();
    conf.getJsonObject("image").put("workers", workers).put("inputRoots", new JsonArray().add("/")).put("outputRoot", "/");
    return conf;
  }

  /** The image settings the command runs with (limits, timeouts), as {@link #config} reads them. */
  public ImageSettings settings() {
    return ImageSettings.from(config(1));
  }

  public void deploy(int workers) {
    deployment = ImageModule.deploy(vertx, config(workers)).await();
  }

  /** Undeploys the image part (it drains first), for a bench that deploys another count. */
  public void undeploy() {
    if (deployment != null) {
      vertx.undeploy(deployment).await();
      deployment = null;
    }
  }

  /**
   * Runs a batch on an event loop and waits for it here; {@code onTick} sees the latest progress
   * about ten times a second, on this thread (so printing never blocks the event loop).
   */
  public BatchRunner.Summary batch(BatchRunner.Spec spec, Consumer<BatchRunner.Progress> onTick) throws InterruptedException {
    AtomicReference<BatchRunner.Progress> latest = new AtomicReference<>();
    Promise<BatchRunner.Summary> done = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> BatchRunner.run(vertx, spec, latest::set).onComplete(done));
    Future<BatchRunner.Summary> f = done.future();
    if (onTick == null) {
      return f.await();
    }
    while (!f.isComplete()) {
      Thread.sleep(100);
      onTick.accept(latest.get());
    }
    return f.await();
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
