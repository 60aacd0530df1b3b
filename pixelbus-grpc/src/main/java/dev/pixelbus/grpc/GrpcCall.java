package dev.pixelbus.grpc;

import dev.pixelbus.common.auth.Tokens;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.StatusException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call from its admission to its end, on its request's event loop: it answers once, counts itself out of the
 * calls in flight once, and runs the work's cancellation when the caller goes (a cancel, a reset stream, a closed
 * connection) or its deadline passes (then Vert.x has answered DEADLINE_EXCEEDED already). A reply that comes after
 * that is dropped: writing to a stream that is over would throw on the event loop.
 */
final class GrpcCall<Req, Resp> {
  private static final Logger LOG = LoggerFactory.getLogger(GrpcCall.class);

  private final GrpcServerRequest<Req, Resp> request;
  private final Tokens.Identity caller;
  /** Told once, with the status the call ended with: counts it out of the calls in flight, and records it. */
  private final Consumer<GrpcStatus> ended;
  private final List<Runnable> onAbort = new ArrayList<>();
  private final long startNanos = System.nanoTime();
  private boolean over;

  GrpcCall(GrpcServerRequest<Req, Resp> request, Tokens.Identity caller, Consumer<GrpcStatus> ended) {
    this.request = request;
    this.caller = caller;
    this.ended = ended;
    request.errorHandler(error -> abort(GrpcStatus.CANCELLED, "the caller ended the call (" + error + ")"));
    request.exceptionHandler(e -> abort(GrpcStatus.CANCELLED, "the connection failed: " + e.getMessage()));
    if (request.deadline() != null) {
      request.deadline().onSuccess(v -> abort(GrpcStatus.DEADLINE_EXCEEDED, "its deadline passed"));
    }
  }

  Tokens.Identity caller() {
    return caller;
  }

  GrpcServerRequest<Req, Resp> request() {
    return request;
  }

  /** Whether the call has ended, answered or abandoned: nothing more is sent. */
  boolean over() {
    return over;
  }

  /**
   * How long the work may take: what is left of the caller's deadline ({@code grpc-timeout}), else {@code fallback};
   * never less than 1 ms (the event bus takes no 0).
   */
  long timeoutMs(long fallback) {
    long deadline = request.timeout();
    if (deadline <= 0) {
      return fallback;
    }
    long left = deadline - (System.nanoTime() - startNanos) / 1_000_000;
    return Math.max(1, Math.min(left, fallback));
  }

  /** The deadline as the time of day in ms, for the work to drop a job whose caller no longer waits; 0 for none. */
  long deadlineEpochMs() {
    long deadline = request.timeout();
    return deadline <= 0 ? 0 : System.currentTimeMillis() + timeoutMs(deadline);
  }

  /** Runs when the call is abandoned before its answer (at most once; at once if it already was). */
  void onAbort(Runnable cancel) {
    onAbort.add(cancel);
  }

  /** A message of a stream; skipped when the call is over, or when the caller reads slower than events come. */
  void write(Resp message, boolean droppable) {
    if (over || (droppable && request.response().writeQueueFull())) {
      return;
    }
    request.response().write(message);
  }

  /** The last (or only) message, and status OK. */
  void end(Resp message) {
    if (finish(GrpcStatus.OK)) {
      try {
        request.response().end(message);
      } catch (IllegalStateException late) {
        LOG.debug("{}: the stream closed before its reply: {}", request.fullMethodName(), late.getMessage());
      }
    }
  }

  /** The status of a failure, its message as grpc-message. */
  void fail(Throwable e) {
    StatusException s = GrpcStatuses.failure(e);
    if (finish(s.status())) {
      try {
        GrpcStatuses.end(request.response(), s.status(), s.message());
      } catch (IllegalStateException late) {
        LOG.debug("{}: the stream closed before its status: {}", request.fullMethodName(), late.getMessage());
      }
    }
  }

  private boolean finish(GrpcStatus status) {
    if (over) {
      return false;
    }
    over = true;
    ended.accept(status);
    return true;
  }

  private void abort(GrpcStatus status, String why) {
    if (over) {
      return;
    }
    LOG.debug("{}: abandoned, {}", request.fullMethodName(), why);
    over = true;
    ended.accept(status);
    onAbort.forEach(Runnable::run);
  }
}
