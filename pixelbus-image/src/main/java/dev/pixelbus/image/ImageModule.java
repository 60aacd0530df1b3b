package dev.pixelbus.image;

import dev.pixelbus.api.LocalJsonCodec;
import dev.pixelbus.image.batch.BatchVerticle;
import dev.pixelbus.image.codec.Codecs;
import dev.pixelbus.image.worker.ImageDispatcherVerticle;
import dev.pixelbus.image.worker.ImageWorkerVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The image part, deployable into any Vert.x: one dispatcher on the {@code pixelbus.image.*}
 * addresses and the typed {@code ImageService} on {@code pixelbus.image.service}, the worker
 * verticles on a pool of their own, and the batch address. Undeploying it undeploys them all; each
 * drains first (every request the dispatcher accepted gets its reply).
 *
 * <pre>{@code
 * vertx.deployVerticle(new ImageModule(ImageSettings.from(config)));
 * }</pre>
 */
public final class ImageModule extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ImageModule.class);
  /** The worker pool the image workers run on, apart from Vert.x's own (they block for as long as an image takes). */
  public static final String WORKER_POOL = "pixelbus-image";

  private final ImageSettings settings;

  public ImageModule(ImageSettings settings) {
    this.settings = settings;
  }

  /**
   * Deploys the image part with the {@code image} and {@code opencv} sections of a configuration (every
   * key has a default: {@code new JsonObject()} serves images under the working folder).
   *
   * @return the deployment's id; a bad setting fails it with a message that names the key
   */
  public static Future<String> deploy(Vertx vertx, JsonObject config) {
    try {
      return vertx.deployVerticle(new ImageModule(ImageSettings.from(config)));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<?> start() {
    LocalJsonCodec.register(vertx);
    DeploymentOptions workers = new DeploymentOptions()
        .setThreadingModel(ThreadingModel.WORKER)
        .setInstances(settings.workers())
        .setWorkerPoolName(WORKER_POOL)
        .setWorkerPoolSize(settings.workers())
        .setMaxWorkerExecuteTime(settings.workerTimeoutMs())
        .setMaxWorkerExecuteTimeUnit(TimeUnit.MILLISECONDS);
    // Loading the system's libjpeg-turbo reads files: off the event loop. image.jpegCodec turbojpeg without it fails here.
    return vertx.executeBlocking(() -> Codecs.describe(settings.jpegCodec()), false)
        .onSuccess(codec -> LOG.info("Image codecs: {}", codec))
        .compose(codec -> vertx.deployVerticle(new ImageDispatcherVerticle(settings.queueCapacity(), settings.workerTimeoutMs(),
            codec)))
        .compose(d -> vertx.deployVerticle(() -> new ImageWorkerVerticle(settings.worker()), workers))
        .compose(w -> vertx.deployVerticle(new BatchVerticle(settings.batch())));
  }
}
