package dev.pixelbus.grpc;

import com.google.protobuf.Descriptors;
import dev.pixelbus.api.Addresses;
import dev.pixelbus.api.LocalJsonCodec;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.grpc.v1.ApplyReply;
import dev.pixelbus.grpc.v1.ApplyRequest;
import dev.pixelbus.grpc.v1.BatchEvent;
import dev.pixelbus.grpc.v1.BatchRequest;
import dev.pixelbus.grpc.v1.ImagesGrpcService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.Service;

/**
 * {@code pixelbus.v1.Images}: Apply and Batch as event-bus requests, as the HTTP API sends them. Bound with the
 * request API rather than the generated service base: a call needs its metadata (the token), its deadline and its
 * cancellation, which the generated methods do not see.
 */
final class ImagesService implements Service {
  private final Vertx vertx;
  private final CallGuard guard;
  private final GrpcSettings settings;
  private final SourceAccess sources;
  private final BatchCalls batches;

  ImagesService(Vertx vertx, CallGuard guard, GrpcSettings settings, SourceAccess sources) {
    this.vertx = vertx;
    this.guard = guard;
    this.settings = settings;
    this.sources = sources;
    this.batches = new BatchCalls(vertx, settings);
    LocalJsonCodec.register(vertx);
  }

  @Override
  public ServiceName name() {
    return ImagesGrpcService.SERVICE_NAME;
  }

  @Override
  public Descriptors.ServiceDescriptor descriptor() {
    return ImagesGrpcService.SERVICE_DESCRIPTOR;
  }

  @Override
  public void bind(GrpcServer server) {
    server.callHandler(ImagesGrpcService.Apply, this::apply);
    server.callHandler(ImagesGrpcService.Batch, this::batch);
  }

  private void apply(GrpcServerRequest<ApplyRequest, ApplyReply> request) {
    GrpcCall<ApplyRequest, ApplyReply> call = guard.admit(request);
    if (call == null) {
      return;
    }
    request.last().compose(message -> {
      Steps steps = Steps.of(message.getStepsList());
      CallGuard.authorize(call.caller(), steps.op().address());
      return image(message).compose(bytes -> {
        JsonObject body = steps.params().put("input", new JsonObject().put("bytes", bytes));
        if (!message.getFormat().isEmpty()) {
          body.put("format", message.getFormat());
        }
        if (message.getQuality() != 0) {
          body.put("quality", message.getQuality());
        }
        // The caller's deadline is the bus's send timeout, and goes along so that a job still queued when it passes
        // is dropped instead of taking a worker for nobody. A job running in OpenCV cannot be stopped: it ends.
        DeliveryOptions delivery = LocalJsonCodec.options().setSendTimeout(call.timeoutMs(settings.requestTimeoutMs()));
        long deadline = call.deadlineEpochMs();
        if (deadline > 0) {
          delivery.addHeader(Addresses.DEADLINE_HEADER, Long.toString(deadline));
        }
        return vertx.eventBus().<JsonObject>request(steps.op().address(), body, delivery).map(Message::body);
      });
    }).map(ApplyReplies::of).onSuccess(call::end).onFailure(call::fail);
  }

  /** The request's image: its bytes, or its URL's. */
  private Future<byte[]> image(ApplyRequest message) {
    boolean bytes = !message.getImage().isEmpty();
    boolean url = !message.getUrl().isEmpty();
    if (bytes == url) {
      return Future.failedFuture(PixelbusException.badRequest(bytes ? "give image or url, not both"
          : "no image: give its bytes (image) or a source URL (url)"));
    }
    return bytes ? Future.succeededFuture(message.getImage().toByteArray())
        : sources.fetch(vertx, message.getUrl(), guard.tokensRequired()).map(Buffer::getBytes);
  }

  private void batch(GrpcServerRequest<BatchRequest, BatchEvent> request) {
    GrpcCall<BatchRequest, BatchEvent> call = guard.admit(request);
    if (call == null) {
      return;
    }
    request.last().onSuccess(message -> {
      try {
        CallGuard.authorize(call.caller(), Addresses.IMAGE_BATCH);
        batches.run(call, message);
      } catch (RuntimeException e) {
        call.fail(e);
      }
    }).onFailure(call::fail);
  }
}
