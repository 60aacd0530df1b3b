package dev.pixelbus.image.worker;

import dev.pixelbus.api.AdaptiveRequest;
import dev.pixelbus.api.BlurRequest;
import dev.pixelbus.api.CropRequest;
import dev.pixelbus.api.FaceCropReply;
import dev.pixelbus.api.FaceCropRequest;
import dev.pixelbus.api.FlipRequest;
import dev.pixelbus.api.PipelineReply;
import dev.pixelbus.api.PipelineRequest;
import dev.pixelbus.api.ResizeRequest;
import dev.pixelbus.api.RotateRequest;
import dev.pixelbus.api.Addresses;
import dev.pixelbus.api.BatchReply;
import dev.pixelbus.api.BatchRequest;
import dev.pixelbus.api.FacesReply;
import dev.pixelbus.api.FacesRequest;
import dev.pixelbus.api.GrayscaleRequest;
import dev.pixelbus.api.ImageOp;
import dev.pixelbus.api.ImageReply;
import dev.pixelbus.api.ImageService;
import dev.pixelbus.api.InfoReply;
import dev.pixelbus.api.InfoRequest;
import dev.pixelbus.api.LocalJsonCodec;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.api.ThresholdReply;
import dev.pixelbus.api.ThresholdRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceException;

/**
 * The typed service, as the JSON contract: each call becomes the request of its address-per-operation
 * on this node, checked and run exactly as a bridge or HTTP request would be. A failure goes back as
 * a {@link ServiceException} with the same code (the proxy handler would turn anything else into -1).
 */
final class ImageServiceImpl implements ImageService {
  /** This node's own dispatcher and batch verticle; no timeout of the bus's: theirs answer every request. */
  private static final DeliveryOptions LOCAL = LocalJsonCodec.options().setLocalOnly(true)
      .setSendTimeout(Long.MAX_VALUE / 2);

  private final Vertx vertx;

  ImageServiceImpl(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<InfoReply> info(InfoRequest request) {
    return call(ImageOp.INFO.address(), request.toJson()).map(InfoReply::new);
  }

  @Override
  public Future<ImageReply> grayscale(GrayscaleRequest request) {
    return call(ImageOp.GRAYSCALE.address(), request.toJson()).map(ImageReply::new);
  }

  @Override
  public Future<ThresholdReply> threshold(ThresholdRequest request) {
    return call(ImageOp.THRESHOLD.address(), request.toJson()).map(ThresholdReply::new);
  }

  @Override
  public Future<ImageReply> adaptive(AdaptiveRequest request) {
    return call(ImageOp.ADAPTIVE.address(), request.toJson()).map(ImageReply::new);
  }

  @Override
  public Future<FacesReply> faces(FacesRequest request) {
    return call(ImageOp.FACES.address(), request.toJson()).map(FacesReply::new);
  }

  @Override
  public Future<ImageReply> resize(ResizeRequest request) {
    return call(ImageOp.RESIZE.address(), request.toJson()).map(ImageReply::new);
  }

  @Override
  public Future<ImageReply> crop(CropRequest request) {
    return call(ImageOp.CROP.address(), request.toJson()).map(ImageReply::new);
  }

  @Override
  public Future<ImageReply> rotate(RotateRequest request) {
    return call(ImageOp.ROTATE.address(), request.toJson()).map(ImageReply::new);
  }

  @Override
  public Future<ImageReply> flip(FlipRequest request) {
    return call(ImageOp.FLIP.address(), request.toJson()).map(ImageReply::new);
  }

  @Override
  public Future<ImageReply> blur(BlurRequest request) {
    return call(ImageOp.BLUR.address(), request.toJson()).map(ImageReply::new);
  }

  @Override
  public Future<FaceCropReply> facecrop(FaceCropRequest request) {
    return call(ImageOp.FACECROP.address(), request.toJson()).map(FaceCropReply::new);
  }

  @Override
  public Future<PipelineReply> pipeline(PipelineRequest request) {
    return call(ImageOp.PIPELINE.address(), request.toJson()).map(PipelineReply::new);
  }

  @Override
  public Future<BatchReply> batch(BatchRequest request) {
    return call(Addresses.IMAGE_BATCH, request.toJson()).map(BatchReply::new);
  }

  @Override
  public Future<JsonObject> stats() {
    return call(Addresses.IMAGE_STATS, new JsonObject());
  }

  private Future<JsonObject> call(String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body, LOCAL).map(Message::body).recover(e -> {
      PixelbusException p = PixelbusException.from(e);
      return ServiceException.fail(p.failureCode(), p.getMessage());
    });
  }
}
