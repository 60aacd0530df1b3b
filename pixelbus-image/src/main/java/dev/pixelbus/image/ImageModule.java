package dev.pixelbus.image;

import dev.pixelbus.image.batch.BatchVerticle;
import dev.pixelbus.image.worker.ImageDispatcherVerticle;
import dev.pixelbus.image.worker.ImageWorkerVerticle;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Deploys the image part: one dispatcher, the worker verticles on a pool of their own, and the batch address. */
public final class ImageModule {
  public static final String WORKER_POOL = "pixelbus-image";

  private ImageModule() {
  }

  /**
   * @param config the whole configuration (the {@code image} and {@code opencv} sections are read)
   * @return the deployment ids: dispatcher, workers, batches
   */
  public static Future<List<String>> deploy(Vertx vertx, JsonObject config) {
    ImageSettings settings;
    try {
      settings = ImageSettings.from(config);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    dev.pixelbus.api.LocalJsonCodec.register(vertx);
    DeploymentOptions dispatcher = new DeploymentOptions().setConfig(config.getJsonObject("image", new JsonObject()));
    DeploymentOptions workers = new DeploymentOptions()
        .setThreadingModel(ThreadingModel.WORKER)
        .setInstances(settings.workers())
        .setWorkerPoolName(WORKER_POOL)
        .setWorkerPoolSize(settings.workers())
        .setMaxWorkerExecuteTime(settings.workerTimeoutMs())
        .setMaxWorkerExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setConfig(config);
    DeploymentOptions batches = new DeploymentOptions().setConfig(config);
    return vertx.deployVerticle(ImageDispatcherVerticle::new, dispatcher)
        .compose(d -> vertx.deployVerticle(ImageWorkerVerticle::new, workers)
            .compose(w -> vertx.deployVerticle(BatchVerticle::new, batches).map(b -> List.of(d, w, b))));
  }
}
