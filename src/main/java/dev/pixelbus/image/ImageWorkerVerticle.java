package dev.pixelbus.image;

import dev.pixelbus.bus.Addresses;
import dev.pixelbus.bus.LocalJsonCodec;
import dev.pixelbus.bus.ErrorCode;
import dev.pixelbus.bus.ImageReplies;
import dev.pixelbus.bus.ImageRequests;
import dev.pixelbus.bus.PixelbusException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.UUID;
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

  private final String address = Addresses.IMAGE + "worker." + UUID.randomUUID();
  private ImageProcessor processor;
  private BatchFolders folders;
  private MessageConsumer<JsonObject> consumer;

  @Override
  public Future<?> start() {
    ImageSettings settings = ImageSettings.from(config());
    OpenCvNative.load(settings.cacheDir());
    ImageOps.setThreads(settings.opencvThreads());
    if (settings.cascade() != null) {
      Cascades.resolve(settings.cascade(), settings.cacheDir()); // a wrong path stops the start, not the first request
    }
    processor = new ImageProcessor(settings.pathPolicy(), settings.limits(),
        () -> Cascades.resolve(settings.cascade(), settings.cacheDir()));
    folders = new BatchFolders(processor.paths());
    consumer = vertx.eventBus().localConsumer(address, this::handle); // its dispatcher is on this node
    return consumer.completion()
        .compose(v -> vertx.eventBus().request(Addresses.IMAGE_WORKER_REGISTER, new JsonObject().put("address", address)));
  }

  private void handle(Message<JsonObject> msg) {
    try {
      String header = msg.headers().get(ImageDispatcherVerticle.OP_HEADER);
      if (ImageDispatcherVerticle.CHUNK.equals(header)) {
        msg.reply(chunk(msg.body()), LocalJsonCodec.options());
        return;
      }
      ImageJob job = ImageRequests.parse(ImageOp.parse(header), msg.body());
      msg.reply(ImageReplies.toJson(processor.run(job)), LocalJsonCodec.options());
    } catch (PixelbusException e) {
      msg.fail(e.code().code, e.getMessage());
    } catch (RuntimeException | Error e) {
      // A handler that throws never replies: the caller would wait for its timeout.
      LOG.error("Image job failed unexpectedly", e);
      msg.fail(ErrorCode.INTERNAL.code, "internal error: " + e);
    }
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
    JsonArray failed = new JsonArray();
    double[] sums = new double[5];
    int done = 0;
    for (Object f : body.getJsonArray("files")) {
      String name = String.valueOf(f);
      try {
        ImageResult.Timings t = processor.runBatchFile(job, fixed, in, name, out).timings();
        sums[0] += t.read();
        sums[1] += t.decode();
        sums[2] += t.op();
        sums[3] += t.encode();
        sums[4] += t.write();
        done++;
      } catch (PixelbusException e) {
        failed.add(new JsonObject().put("file", name).put("code", e.code().code).put("message", e.getMessage()));
      } catch (RuntimeException e) {
        LOG.error("Batch file {} failed unexpectedly", name, e);
        failed.add(new JsonObject().put("file", name).put("code", ErrorCode.INTERNAL.code).put("message", e.toString()));
      }
    }
    return new JsonObject().put("done", done).put("failed", failed).put("timings", new JsonObject()
        .put("read", sums[0]).put("decode", sums[1]).put("op", sums[2]).put("encode", sums[3]).put("write", sums[4]));
  }
}
