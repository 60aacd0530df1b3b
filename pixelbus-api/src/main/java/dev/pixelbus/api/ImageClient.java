package dev.pixelbus.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

/**
 * The typed Java API of the image workers, for other verticles:
 * {@code images.adaptive(ImageRequest.file("in.jpg").output("out.png"))} returns a Future of the
 * reply. A failure is a {@link PixelbusException} with the contract's code.
 */
public final class ImageClient {
  private final Vertx vertx;
  private final DeliveryOptions options;

  public ImageClient(Vertx vertx) {
    this(vertx, 120_000);
  }

  public ImageClient(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    LocalJsonCodec.register(vertx);
    // The request is handed over without a copy: callers do not touch it after the call.
    this.options = LocalJsonCodec.options().setSendTimeout(timeoutMs);
  }

  public Future<JsonObject> info(ImageRequest request) {
    return call(Addresses.IMAGE_INFO, request);
  }

  public Future<JsonObject> grayscale(ImageRequest request) {
    return call(Addresses.IMAGE_GRAYSCALE, request);
  }

  public Future<JsonObject> threshold(ImageRequest request) {
    return call(Addresses.IMAGE_THRESHOLD, request);
  }

  public Future<JsonObject> adaptive(ImageRequest request) {
    return call(Addresses.IMAGE_ADAPTIVE, request);
  }

  public Future<JsonObject> faces(ImageRequest request) {
    return call(Addresses.IMAGE_FACES, request);
  }

  /** Calls any image address (op = info, grayscale, threshold, adaptive or faces). */
  public Future<JsonObject> call(String op, JsonObject body) {
    try {
      return request(Addresses.imageOp(ImageOp.parse(op).label()), body);
    } catch (PixelbusException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * Runs a batch ({inputDir, outputDir, op, params, workers?, format?, quality?}); the Future
   * completes when the whole folder is done, so this call waits up to {@code timeoutMs}.
   */
  public Future<JsonObject> batch(JsonObject request, long timeoutMs) {
    return vertx.eventBus().<JsonObject>request(Addresses.IMAGE_BATCH, request, new DeliveryOptions().setSendTimeout(timeoutMs))
        .map(Message::body).recover(e -> Future.failedFuture(toPixelbus(e)));
  }

  /** Workers, idle workers, queue depth and counters of the dispatcher. */
  public Future<JsonObject> stats() {
    return request(Addresses.IMAGE_STATS, new JsonObject());
  }

  private Future<JsonObject> call(String address, ImageRequest request) {
    return request(address, request.toJson());
  }

  private Future<JsonObject> request(String address, JsonObject body) {
    // A path means a file on this node: in a cluster, only this node may serve it. Bytes may go anywhere.
    boolean paths = body.getValue("input") instanceof String || body.containsKey("output");
    DeliveryOptions delivery = paths ? new DeliveryOptions(options).setLocalOnly(true) : options;
    return vertx.eventBus().<JsonObject>request(address, body, delivery).map(Message::body)
        .recover(e -> Future.failedFuture(toPixelbus(e)));
  }

  /** A reply failure as the contract's exception: the worker's code, or 503/500 for the bus's own failures. */
  public static PixelbusException toPixelbus(Throwable e) {
    if (e instanceof ReplyException re) {
      return switch (re.failureType()) {
        case RECIPIENT_FAILURE -> new PixelbusException(ErrorCode.of(re.failureCode()), re.getMessage());
        case NO_HANDLERS -> new PixelbusException(ErrorCode.BUSY, "no image service is deployed: " + re.getMessage());
        default -> new PixelbusException(ErrorCode.INTERNAL, "no reply in time: " + re.getMessage());
      };
    }
    return e instanceof PixelbusException pe ? pe : new PixelbusException(ErrorCode.INTERNAL, String.valueOf(e), e);
  }
}
