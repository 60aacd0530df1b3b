package dev.pixelbus.image;

import dev.pixelbus.bus.Addresses;
import dev.pixelbus.bus.ErrorCode;
import dev.pixelbus.bus.ImageReplies;
import dev.pixelbus.bus.ImageRequests;
import dev.pixelbus.bus.PixelbusException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
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
    consumer = vertx.eventBus().consumer(address, this::handle);
    return consumer.completion()
        .compose(v -> vertx.eventBus().request(Addresses.IMAGE_WORKER_REGISTER, new JsonObject().put("address", address)));
  }

  private void handle(Message<JsonObject> msg) {
    try {
      ImageOp op = ImageOp.parse(msg.headers().get(ImageDispatcherVerticle.OP_HEADER));
      ImageJob job = ImageRequests.parse(op, msg.body());
      msg.reply(ImageReplies.toJson(processor.run(job)));
    } catch (PixelbusException e) {
      msg.fail(e.code().code, e.getMessage());
    } catch (RuntimeException | Error e) {
      // A handler that throws never replies: the caller would wait for its timeout.
      LOG.error("Image job failed unexpectedly", e);
      msg.fail(ErrorCode.INTERNAL.code, "internal error: " + e);
    }
  }
}
