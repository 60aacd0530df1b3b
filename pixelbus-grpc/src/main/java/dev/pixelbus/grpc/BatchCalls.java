package dev.pixelbus.grpc;

import dev.pixelbus.api.Addresses;
import dev.pixelbus.grpc.v1.BatchEvent;
import dev.pixelbus.grpc.v1.BatchProgress;
import dev.pixelbus.grpc.v1.BatchRequest;
import dev.pixelbus.grpc.v1.BatchSummary;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Images/Batch: {@code pixelbus.image.batch} with the call's steps, followed on {@code pixelbus.image.batch.progress}
 * and cancelled on {@code pixelbus.image.batch.cancel} when the call ends early. The folders, the parameters and the
 * limits are the batch part's to check, as for every other caller.
 */
final class BatchCalls {
  private static final JobStream BATCH = new JobStream(Addresses.IMAGE_BATCH, Addresses.IMAGE_BATCH_PROGRESS,
      Addresses.IMAGE_BATCH_CANCEL);

  private final Vertx vertx;
  private final GrpcSettings settings;

  BatchCalls(Vertx vertx, GrpcSettings settings) {
    this.vertx = vertx;
    this.settings = settings;
  }

  void run(GrpcCall<BatchRequest, BatchEvent> call, BatchRequest message) {
    Steps steps = Steps.of(message.getStepsList());
    JsonObject body = new JsonObject().put("jobId", JobStream.newJobId()).put("op", steps.op().label())
        .put("params", steps.params());
    if (!message.getInputDir().isEmpty()) {
      body.put("inputDir", message.getInputDir());
    }
    if (!message.getOutputDir().isEmpty()) {
      body.put("outputDir", message.getOutputDir());
    }
    if (!message.getFormat().isEmpty()) {
      body.put("format", message.getFormat());
    }
    if (message.getQuality() != 0) {
      body.put("quality", message.getQuality());
    }
    if (message.getWorkers() != 0) {
      body.put("workers", message.getWorkers());
    }
    BATCH.run(vertx, call, body, call.timeoutMs(settings.fetchTimeoutMs()), BatchCalls::progress, BatchCalls::summary);
  }

  static BatchEvent progress(JsonObject e) {
    BatchProgress.Builder p = BatchProgress.newBuilder().setDone(e.getLong("done", 0L)).setFailed(e.getLong("failed", 0L))
        .setListed(e.getLong("listed", 0L)).setListingDone(e.getBoolean("listingDone", false))
        .setSeconds(e.getDouble("seconds", 0.0)).setRate(e.getDouble("rate", 0.0));
    JobStream.failures(e.getJsonArray("failures"), "file").forEach(p::addFailures);
    return BatchEvent.newBuilder().setProgress(p).build();
  }

  static BatchEvent summary(JsonObject s) {
    BatchSummary.Builder b = BatchSummary.newBuilder().setImages(s.getLong("images", 0L))
        .setSucceeded(s.getLong("succeeded", 0L)).setFailed(s.getLong("failedCount", 0L))
        .setSeconds(s.getDouble("seconds", 0.0)).setImagesPerSecond(s.getDouble("imagesPerSecond", 0.0))
        .setCancelled(s.getBoolean("cancelled", false));
    JobStream.failures(s.getJsonArray("failed"), "file").forEach(b::addFailures);
    return BatchEvent.newBuilder().setSummary(b).build();
  }
}
