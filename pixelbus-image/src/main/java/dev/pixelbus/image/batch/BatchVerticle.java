package dev.pixelbus.image.batch;

import dev.pixelbus.api.Addresses;
import dev.pixelbus.api.ErrorCode;
import dev.pixelbus.api.ImageOp;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.common.JobIds;
import dev.pixelbus.common.Params;
import dev.pixelbus.common.PathPolicy;
import dev.pixelbus.image.ops.OutputFormat;
import dev.pixelbus.image.worker.ImageRequestCheck;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Serves {@code pixelbus.image.batch}: a whole folder through the image workers, for other
 * verticles and bridge clients, and {@code pixelbus.image.batch.cancel}. A batch has a job id (the
 * request's {@code jobId}, or a new one). Progress is published on
 * {@code pixelbus.image.batch.progress} at most every {@link #PROGRESS_INTERVAL_MS} ms, with the
 * failures since the last event, and a last event when it ends that carries the summary. The reply
 * is the summary when the batch ends, or with {@code "wait": false} the job id at once (a client on a
 * bridge then follows the events and needs no long reply timeout). At most {@code image.maxBatches}
 * run at once; more get 503.
 */
public final class BatchVerticle extends VerticleBase {
  static final long PROGRESS_INTERVAL_MS = 250;

  private final BatchSettings settings;
  private final PathPolicy paths;
  /** The batches running, by job id. */
  private final Map<String, BatchRunner> running = new HashMap<>();
  /** Job ids taken: running, or still being confined to the roots. */
  private final Set<String> taken = new HashSet<>();

  public BatchVerticle(BatchSettings settings) {
    this.settings = settings;
    this.paths = settings.paths();
  }

  @Override
  public Future<?> start() {
    // Local: a batch's folders are on the disk of the node that was asked.
    return Future.all(vertx.eventBus().<JsonObject>localConsumer(Addresses.IMAGE_BATCH, this::handle).completion(),
        vertx.eventBus().<JsonObject>localConsumer(Addresses.IMAGE_BATCH_CANCEL, this::cancel).completion(),
        vertx.eventBus().<Object>localConsumer(Addresses.IMAGE_FOLDERS, msg -> vertx.executeBlocking(() ->
            BatchFolderList.list(paths.inputRoots()), false).onSuccess(msg::reply).onFailure(e -> fail(msg, e)))
            .completion());
  }

  private void handle(Message<JsonObject> msg) {
    if (taken.size() >= settings.maxBatches()) {
      msg.fail(ErrorCode.BUSY.code, "busy: " + taken.size() + " batches are running (image.maxBatches); try again later");
      return;
    }
    Request r;
    try {
      r = Request.parse(msg.body(), settings.workers());
    } catch (PixelbusException e) {
      msg.fail(e.failureCode(), e.getMessage());
      return;
    }
    if (!taken.add(r.jobId)) {
      msg.fail(ErrorCode.BAD_REQUEST.code, "a batch with jobId " + r.jobId + " is running already");
      return;
    }
    vertx.executeBlocking(() -> new Path[] {paths.resolveInputDir(r.inputDir),
            r.op == ImageOp.INFO ? null : paths.resolveOutputDir(r.outputDir)}, false)
        .onFailure(e -> {
          taken.remove(r.jobId);
          fail(msg, e);
        })
        .onSuccess(dirs -> {
          ProgressEvents events = new ProgressEvents(r.jobId);
          BatchRunner runner = BatchRunner.start(vertx, spec(r, dirs), r.jobId, events);
          running.put(r.jobId, runner);
          if (!r.replyAtEnd) {
            msg.reply(new JsonObject().put("jobId", r.jobId));
          }
          runner.result().onComplete(ar -> {
            running.remove(r.jobId);
            taken.remove(r.jobId);
            if (ar.succeeded()) {
              JsonObject summary = ar.result().toJson().put("jobId", r.jobId);
              events.finished(ar.result(), summary);
              if (r.replyAtEnd) {
                msg.reply(summary);
              }
            } else {
              events.failed(ar.cause());
              if (r.replyAtEnd) {
                fail(msg, ar.cause());
              }
            }
          });
        });
  }

  /** {jobId}: the batch stops; the reply is its summary so far, once its chunks are back. */
  private void cancel(Message<JsonObject> msg) {
    String jobId = msg.body() == null ? null : msg.body().getString("jobId");
    BatchRunner runner = jobId == null ? null : running.get(jobId);
    if (runner == null) {
      msg.fail(ErrorCode.NOT_FOUND.code, "no batch is running with jobId " + jobId);
      return;
    }
    runner.cancel();
    runner.result().onSuccess(s -> msg.reply(s.toJson().put("jobId", jobId))).onFailure(e -> fail(msg, e));
  }

  private static void fail(Message<?> msg, Throwable cause) {
    PixelbusException e = PixelbusException.from(cause);
    msg.fail(e.failureCode(), e.getMessage());
  }

  /** Bytes mode when asked, or by default in a cluster: then every node's workers take a share. */
  private BatchRunner.Spec spec(Request r, Path[] dirs) {
    BatchRunner.Spec spec = new BatchRunner.Spec(dirs[0], dirs[1], r.op, r.params, r.format, r.quality, 2 * r.workers);
    return BatchRunner.bytesMode(r.mode, vertx.isClustered())
        ? spec.inBytesMode(paths, settings, settings.chunkTimeoutMs(), null, r.workers) : spec;
  }

  /**
   * A batch's progress events: at most one every {@link #PROGRESS_INTERVAL_MS} ms, each with the
   * failures since the one before (the failures of the progress it skips go with the next event, or
   * with the last one, which also carries the summary).
   */
  private final class ProgressEvents implements Consumer<BatchRunner.Progress> {
    private final String jobId;
    private final List<JsonObject> failures = new ArrayList<>();
    private long last;

    ProgressEvents(String jobId) {
      this.jobId = jobId;
    }

    @Override
    public void accept(BatchRunner.Progress p) {
      keep(p.failures());
      long now = System.nanoTime();
      if (now - last >= PROGRESS_INTERVAL_MS * 1_000_000) {
        last = now;
        publish(event(jobId, p.done(), p.failed(), p.listed(), p.listingDone(), p.seconds(), takeFailures())
            .put("finished", false));
      }
    }

    void finished(BatchRunner.Summary s, JsonObject summary) {
      publish(event(jobId, s.images(), s.failed(), s.images(), true, s.seconds(), takeFailures()).put("finished", true)
          .put("summary", summary));
    }

    void failed(Throwable cause) {
      publish(new JsonObject().put("jobId", jobId).put("finished", true)
          .put("error", PixelbusException.from(cause).getMessage()));
    }

    private void keep(List<JsonObject> more) {
      int room = BatchRunner.MAX_FAILURES_PER_PROGRESS - failures.size();
      failures.addAll(more.subList(0, Math.max(0, Math.min(room, more.size()))));
    }

    private List<JsonObject> takeFailures() {
      List<JsonObject> taken = List.copyOf(failures);
      failures.clear();
      return taken;
    }

    private void publish(JsonObject event) {
      vertx.eventBus().publish(Addresses.IMAGE_BATCH_PROGRESS, event);
    }
  }

  private static JsonObject event(String jobId, long done, long failed, long listed, boolean listingDone, double seconds,
                                  List<JsonObject> failures) {
    return new JsonObject().put("jobId", jobId).put("done", done).put("failed", failed).put("listed", listed)
        .put("listingDone", listingDone).put("seconds", seconds)
        .put("rate", seconds > 0 ? Math.round(done / seconds * 10) / 10.0 : 0.0)
        .put("failures", new JsonArray(new ArrayList<>(failures)));
  }

  /**
   * {inputDir, outputDir, op, params?, workers?, format?, quality?, mode?, jobId?, wait?}, checked
   * before anything runs.
   */
  record Request(String inputDir, String outputDir, ImageOp op, JsonObject params, OutputFormat format, Integer quality,
                 int workers, String mode, String jobId, boolean replyAtEnd) {
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
      String jobId = JobIds.of(p.string("jobId", null));
      boolean replyAtEnd = p.bool("wait", true);
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
      return new Request(in, out, op, ps, f, quality, Math.min(workers, maxWorkers), mode, jobId, replyAtEnd);
    }
  }
}
