package dev.pixelbus.image.worker;

import dev.pixelbus.api.ErrorCode;
import dev.pixelbus.api.ImageOp;
import dev.pixelbus.api.LocalJsonCodec;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.image.chunk.BatchFrame;
import dev.pixelbus.image.chunk.Cancellations;
import dev.pixelbus.image.chunk.ChunkAddresses;
import dev.pixelbus.image.chunk.Chunks;
import dev.pixelbus.image.codec.Codecs;
import dev.pixelbus.image.codec.ImageCodec;
import dev.pixelbus.image.natives.Cascades;
import dev.pixelbus.image.natives.OpenCvNative;
import dev.pixelbus.image.ops.ImageOps;
import dev.pixelbus.image.ops.OutputFormat;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One image worker: deployed with {@code ThreadingModel.WORKER}, it runs the blocking OpenCV work
 * for one request at a time on a worker thread. It listens on a private address and tells the
 * dispatcher it exists; the dispatcher sends it a job only when it is idle. Each instance owns its
 * {@link ImageProcessor}, and so its own cascade classifiers.
 */
public final class ImageWorkerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ImageWorkerVerticle.class);

  private final String address = ChunkAddresses.WORKER_PREFIX + UUID.randomUUID();
  private final WorkerSettings settings;
  private ImageProcessor processor;
  private BatchFolders folders;
  private MessageConsumer<Object> consumer;
  /** This worker's own codec: TurboJPEG's handles are not thread-safe. */
  private ImageCodec codec;

  public ImageWorkerVerticle(WorkerSettings settings) {
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    OpenCvNative.load(settings.cacheDir());
    ImageOps.setThreads(settings.opencvThreads());
    if (settings.cascade() != null) {
      Cascades.resolve(settings.cascade(), settings.cacheDir()); // a wrong path stops the start, not the first request
    }
    codec = Codecs.forWorker(settings.jpegCodec());
    processor = new ImageProcessor(settings.paths(), settings.limits(),
        () -> Cascades.resolve(settings.cascade(), settings.cacheDir()), codec);
    folders = new BatchFolders(processor.paths());
    consumer = vertx.eventBus().localConsumer(address, this::handle); // its dispatcher is on this node
    return consumer.completion()
        .compose(v -> vertx.eventBus().request(ChunkAddresses.WORKER_REGISTER, new JsonObject().put("address", address)));
  }

  @Override
  public Future<?> stop() {
    if (codec != null) {
      codec.close(); // on this worker's thread, after its last job: the dispatcher drains first
    }
    return Future.succeededFuture();
  }

  private void handle(Message<Object> msg) {
    try {
      String header = msg.headers().get(ImageDispatcherVerticle.OP_HEADER);
      if (ImageDispatcherVerticle.BYTES_CHUNK.equals(header)) {
        msg.reply(bytesChunk((Buffer) msg.body()));
        return;
      }
      if (ImageDispatcherVerticle.CHUNK.equals(header)) {
        msg.reply(chunk((JsonObject) msg.body()), LocalJsonCodec.options());
        return;
      }
      ImageJob job = ImageRequests.parse(ImageOp.parse(header), (JsonObject) msg.body());
      msg.reply(ImageReplies.toJson(processor.run(job)), LocalJsonCodec.options());
    } catch (PixelbusException e) {
      msg.fail(e.failureCode(), e.getMessage());
    } catch (IllegalArgumentException e) {
      msg.fail(ErrorCode.BAD_REQUEST.code, e.getMessage());
    } catch (RuntimeException | Error e) {
      // A handler that throws never replies: the caller would wait for its timeout.
      LOG.error("Image job failed unexpectedly", e);
      msg.fail(ErrorCode.INTERNAL.code, "internal error: " + e);
    }
  }

  /**
   * A batch chunk whose images came as bytes ({@link BatchFrame}), from a node whose files this one
   * cannot read. The header is the chunk's {op, params, format?, quality?, files: [name, ...]}; the
   * reply is a frame of the encoded results, for the sender to write.
   */
  private Buffer bytesChunk(Buffer body) {
    BatchFrame frame = BatchFrame.decode(body);
    JsonObject head = frame.header();
    ImageJob job = folders.job(head);
    OutputFormat fixed = head.getString("format") == null ? null : job.format();
    JsonArray files = head.getJsonArray("files");
    if (files == null || files.size() != frame.parts().size()) {
      throw new IllegalArgumentException("corrupt batch frame: " + frame.parts().size() + " images for "
          + (files == null ? 0 : files.size()) + " names");
    }
    Results results = new Results();
    List<Buffer> outputs = new ArrayList<>(files.size());
    String jobId = head.getString("jobId");
    for (int i = 0; i < files.size(); i++) {
      String name = String.valueOf(files.getValue(i));
      Buffer image = frame.parts().get(i);
      // A cancelled batch: the files left are neither done nor failed (an empty part is written nowhere).
      byte[] out = Cancellations.cancelled(vertx, jobId) ? null
          : results.run(name, () -> processor.runBatchBytes(job, fixed, name, image.getBytes()));
      outputs.add(out == null ? Buffer.buffer(0) : BatchFrame.part(out));
    }
    return new BatchFrame(results.toJson(), outputs).encode();
  }

  /**
   * A batch chunk: {op, params, format?, quality?, inputDir, outputDir, files: [name, ...]}. The
   * folders are confined once; each file's failure is reported in the reply, not as a failure of
   * the chunk, so one corrupt file never costs the others.
   */
  private JsonObject chunk(JsonObject body) {
    ImageJob job = folders.job(body);
    ImageOp op = job.op();
    OutputFormat fixed = body.getString("format") == null ? null : job.format();
    Path[] dirs = folders.resolve(body.getString("inputDir"), op == ImageOp.INFO ? null : body.getString("outputDir"));
    Path in = dirs[0];
    Path out = dirs[1];
    Results results = new Results();
    String jobId = body.getString("jobId");
    for (Object f : body.getJsonArray("files")) {
      if (Cancellations.cancelled(vertx, jobId)) {
        break; // after the file at hand: its result is whole on disk
      }
      String name = String.valueOf(f);
      results.run(name, () -> processor.runBatchFile(job, fixed, in, name, out));
    }
    return results.toJson();
  }

  /** What the files of one chunk did: how many were done, each failure, and the time of each step. */
  private static final class Results {
    private final JsonArray failed = new JsonArray();
    private final double[] sums = new double[Chunks.STEPS.length];
    private int done;

    /** Runs one file; a failure is recorded, never thrown, so one bad file never costs the others. */
    byte[] run(String name, Supplier<ImageResult> file) {
      try {
        ImageResult r = file.get();
        double[] steps = r.timings().steps();
        for (int i = 0; i < steps.length; i++) {
          sums[i] += steps[i];
        }
        done++;
        return r.image();
      } catch (PixelbusException e) {
        failed.add(Chunks.failure(name, e.failureCode(), e.getMessage()));
      } catch (RuntimeException e) {
        LOG.error("Batch file {} failed unexpectedly", name, e);
        failed.add(Chunks.failure(name, ErrorCode.INTERNAL.code, e.toString()));
      }
      return null;
    }

    JsonObject toJson() {
      return Chunks.reply(done, failed, sums);
    }
  }
}
