package dev.pixelbus.api;

import io.vertx.codegen.annotations.ProxyGen;
import io.vertx.codegen.annotations.VertxGen;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/**
 * The image workers, typed: a Vert.x service proxy on {@link Addresses#IMAGE_SERVICE}. Every method
 * runs the operation of the same name (see {@link ImageOp}); its request and reply are the JSON of
 * the address-per-operation contract, as data objects. A failure is a {@code ServiceException} (a
 * {@code ReplyException}) whose {@code failureCode()} is the contract's: 400, 403, 404, 413, 415,
 * 500 or 503 (see {@link ErrorCode}).
 *
 * <pre>{@code
 * ImageService images = ImageService.createProxy(vertx);
 * images.threshold(new ThresholdRequest().setBytes(jpeg).setOtsu(true))
 *     .onSuccess(r -> System.out.println("Otsu chose " + r.getThreshold()));
 * }</pre>
 *
 * In Kotlin, {@code images.threshold(request).coAwait()}.
 */
@ProxyGen
@VertxGen
public interface ImageService {
  /** How long a proxy waits for a reply unless told otherwise; a batch needs longer (see {@link #createProxyWith}). */
  long DEFAULT_TIMEOUT_MS = 120_000;

  /**
   * A proxy to every node of the cluster that serves images: for images given as bytes. The request
   * goes to one of them; a path would name a file on whichever node that is.
   */
  static ImageService createProxy(Vertx vertx) {
    return createProxyWith(vertx, new DeliveryOptions().setSendTimeout(DEFAULT_TIMEOUT_MS));
  }

  /** A proxy to this node's image service only: for paths, which name this node's files. */
  static ImageService createLocalProxy(Vertx vertx) {
    return createProxyWith(vertx, new DeliveryOptions().setSendTimeout(DEFAULT_TIMEOUT_MS).setLocalOnly(true));
  }

  /** A proxy with delivery options of its own: a send timeout, headers, {@code setLocalOnly(true)}. */
  static ImageService createProxyWith(Vertx vertx, DeliveryOptions options) {
    LocalJsonCodec.register(vertx);
    // Sent by reference inside the JVM; as JSON between JVMs (every pixelbus node registers the codec).
    DeliveryOptions delivery = new DeliveryOptions(options).setCodecName(LocalJsonCodec.NAME);
    return new ImageServiceVertxEBProxy(vertx, Addresses.IMAGE_SERVICE, delivery);
  }

  Future<InfoReply> info(InfoRequest request);

  Future<ImageReply> grayscale(GrayscaleRequest request);

  Future<ThresholdReply> threshold(ThresholdRequest request);

  Future<ImageReply> adaptive(AdaptiveRequest request);

  Future<FacesReply> faces(FacesRequest request);

  Future<ImageReply> resize(ResizeRequest request);

  Future<ImageReply> crop(CropRequest request);

  Future<ImageReply> rotate(RotateRequest request);

  Future<ImageReply> flip(FlipRequest request);

  Future<ImageReply> blur(BlurRequest request);

  Future<ImageReply> sharpen(SharpenRequest request);

  Future<FaceCropReply> facecrop(FaceCropRequest request);

  /** Several operations on one decoded image, one encoding: see {@link PipelineRequest}. */
  Future<PipelineReply> pipeline(PipelineRequest request);

  /**
   * A whole folder; the future completes when the batch is done, so give the proxy a send timeout
   * that long. Progress is published on {@link Addresses#IMAGE_BATCH_PROGRESS} meanwhile.
   */
  Future<BatchReply> batch(BatchRequest request);

  /** Workers, idle workers, queue depth and per-operation counters of the serving node. */
  Future<JsonObject> stats();
}
