package dev.pixelbus.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * The image contract as JSON, for callers that hold a request body already (the HTTP API, the
 * command line, a script): {@code client.call(ImageOp.THRESHOLD, body)} sends it to the operation's
 * address and returns the reply's body. For typed requests and replies, use {@link ImageService}.
 * A failure is a {@link PixelbusException} with the contract's code.
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

  /** Runs one operation on a request body of the contract ({input, output?, ...parameters}). */
  public Future<JsonObject> call(ImageOp op, JsonObject body) {
    // A path means a file on this node: in a cluster, only this node may serve it. Bytes may go anywhere.
    boolean paths = body.getValue("input") instanceof String || body.containsKey("output");
    return request(op.address(), body, paths ? new DeliveryOptions(options).setLocalOnly(true) : options);
  }

  /**
   * Runs a batch ({inputDir, outputDir, op, params, workers?, format?, quality?}); the Future
   * completes when the whole folder is done, so this call waits up to {@code timeoutMs}.
   */
  public Future<JsonObject> batch(JsonObject request, long timeoutMs) {
    return request(Addresses.IMAGE_BATCH, request, new DeliveryOptions().setSendTimeout(timeoutMs));
  }

  /** Workers, idle workers, queue depth and counters of the dispatcher. */
  public Future<JsonObject> stats() {
    return request(Addresses.IMAGE_STATS, new JsonObject(), options);
  }

  private Future<JsonObject> request(String address, JsonObject body, DeliveryOptions delivery) {
    return vertx.eventBus().<JsonObject>request(address, body, delivery).map(Message::body)
        .recover(e -> Future.failedFuture(PixelbusException.from(e)));
  }
}
