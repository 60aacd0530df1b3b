package dev.pixelbus.image.batch;

import dev.pixelbus.api.Addresses;
import dev.pixelbus.api.ErrorCode;
import dev.pixelbus.api.ImageOp;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.common.Params;
import dev.pixelbus.common.PathPolicy;
import dev.pixelbus.image.ops.OutputFormat;
import dev.pixelbus.image.worker.ImageRequestCheck;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * Serves {@code pixelbus.image.batch}: a whole folder through the image workers, for other
 * verticles and bridge clients. The reply is the summary, sent when the batch ends (callers set a
 * send timeout to match); progress is published on {@code pixelbus.image.batch.progress} at most
 * every {@link #PROGRESS_INTERVAL_MS} ms, with a last event when it ends. At most
 * {@code image.maxBatches} run at once; more get 503.
 */
public final class BatchVerticle extends VerticleBase {
  static final long PROGRESS_INTERVAL_MS = 100;

  private final BatchSettings settings;
  private final PathPolicy paths;
  private int running;

  public BatchVerticle(BatchSettings settings) {
    this.settings = settings;
    this.paths = settings.paths();
  }

  @Override
  public Future<?> start() {
    // Local: a batch's folders are on the disk of the node that was asked.
    return vertx.eventBus().<JsonObject>localConsumer(Addresses.IMAGE_BATCH, this::handle).completion();
  }

  private void handle(Message<JsonObject> msg) {
    if (running >= settings.maxBatches()) {
      msg.fail(ErrorCode.BUSY.code, "busy: " + running + " batches are running (image.maxBatches); try again later");
      return;
    }
    Request r;
    try {
      r = Request.parse(msg.body(), settings.workers());
    } catch (PixelbusException e) {
      msg.fail(e.failureCode(), e.getMessage());
      return;
    }
    running++;
    String id = UUID.randomUUID().toString();
    vertx.executeBlocking(() -> new Path[] {paths.resolveInputDir(r.inputDir),
            r.op == ImageOp.INFO ? null : paths.resolveOutputDir(r.outputDir)}, false)
        .compose(dirs -> BatchRunner.run(vertx, spec(r, dirs), progress(id)))
        .onComplete(ar -> {
          running--;
          if (ar.succeeded()) {
            BatchRunner.Summary s = ar.result();
            vertx.eventBus().publish(Addresses.IMAGE_BATCH_PROGRESS, new JsonObject().put("batchId", id)
                .put("done", s.images()).put("failed", s.failed()).put("listed", s.images()).put("listingDone", true)
                .put("seconds", s.seconds()).put("finished", true));
            msg.reply(s.toJson().put("batchId", id));
          } else {
            PixelbusException e = ar.cause() instanceof PixelbusException pe ? pe
                : new PixelbusException(ErrorCode.INTERNAL, String.valueOf(ar.cause()));
            msg.fail(e.failureCode(), e.getMessage());
          }
        });
  }

  /** Bytes mode when asked, or by default in a cluster: then every node's workers take a share. */
  private BatchRunner.Spec spec(Request r, Path[] dirs) {
    BatchRunner.Spec spec = new BatchRunner.Spec(dirs[0], dirs[1], r.op, r.params, r.format, r.quality, 2 * r.workers);
    return BatchRunner.bytesMode(r.mode, vertx.isClustered())
        ? spec.inBytesMode(paths, settings, settings.chunkTimeoutMs(), null, r.workers) : spec;
  }

  /** Publishes a batch's progress, no more often than every {@link #PROGRESS_INTERVAL_MS} ms. */
  private java.util.function.Consumer<BatchRunner.Progress> progress(String id) {
    long[] last = {0};
    return p -> {
      long now = System.nanoTime();
      if (now - last[0] >= PROGRESS_INTERVAL_MS * 1_000_000) {
        last[0] = now;
        vertx.eventBus().publish(Addresses.IMAGE_BATCH_PROGRESS, new JsonObject().put("batchId", id).put("done", p.done())
            .put("failed", p.failed()).put("listed", p.listed()).put("listingDone", p.listingDone())
            .put("seconds", p.seconds()).put("finished", false));
      }
    };
  }

  /** {inputDir, outputDir, op, params?, workers?, format?, quality?, mode?}, checked before anything runs. */
  record Request(String inputDir, String outputDir, ImageOp op, JsonObject params, OutputFormat format, Integer quality,
                 int workers, String mode) {
    static Request parse(JsonObject body, int maxWorkers) {
      Params p = new Params(body, "batch");
      String in = p.string("inputDir", null);
      String out = p.string("outputDir", null);
      ImageOp op = ImageOp.parse(p.string("op", "adaptive"));
      Object params = p.raw("params");
      if (params != null && !(params instanceof JsonObject)) {
        throw p.bad("params", "must be an object");
      }
      String format = p.string("format", null);
      Integer quality = p.optionalInteger("quality");
      int workers = p.integer("workers", maxWorkers);
      String mode = p.string("mode", "auto");
      p.rejectUnknown();
      if (!List.of("auto", "paths", "bytes").contains(mode)) {
        throw p.bad("mode", "must be auto, paths or bytes, not " + mode);
      }
      if (in == null) {
        throw PixelbusException.badRequest("inputDir is missing");
      }
      if (out == null && op != ImageOp.INFO) {
        throw PixelbusException.badRequest("outputDir is missing");
      }
      if (workers < 1) {
        throw p.bad("workers", "must be 1 or more, not " + workers);
      }
      JsonObject ps = params == null ? new JsonObject() : (JsonObject) params;
      OutputFormat f = format == null ? null : OutputFormat.parse(format);
      ImageRequestCheck.batchParams(op, ps, f, quality);
      return new Request(in, out, op, ps, f, quality, Math.min(workers, maxWorkers), mode);
    }
  }
}
