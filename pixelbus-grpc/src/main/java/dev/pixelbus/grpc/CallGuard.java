package dev.pixelbus.grpc;

import dev.pixelbus.api.ErrorCode;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.common.auth.FailedAttempts;
import dev.pixelbus.common.auth.Tokens;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every call meets before its message is read, as every HTTP API request meets the HTTP guard: the limit of
 * calls in flight, then (when {@code auth.tokens} are set) the token in the {@code authorization: Bearer TOKEN}
 * metadata, with the HTTP guard's own count of wrong tokens a client address may send (a client that guessed too
 * often waits, over HTTP and gRPC alike). What a token may call is checked once the message says what is called
 * ({@link #authorize}). Health and reflection do not come here: like /health, they stay open.
 */
final class CallGuard {
  private static final Logger LOG = LoggerFactory.getLogger(CallGuard.class);

  private final Tokens tokens;
  private final FailedAttempts failures;
  private final int maxCallsInFlight;
  private final CallRecorder recorder;
  /** Touched from every event loop of the HTTP server: the verticle may run several instances' connections. */
  private int inFlight;

  CallGuard(Tokens tokens, FailedAttempts failures, int maxCallsInFlight, CallRecorder recorder) {
    this.recorder = recorder;
    this.tokens = tokens;
    this.failures = failures;
    this.maxCallsInFlight = maxCallsInFlight;
  }

  boolean tokensRequired() {
    return tokens.required();
  }

  /** The call, admitted; or null when it was refused, and answered so. */
  <Req, Resp> GrpcCall<Req, Resp> admit(GrpcServerRequest<Req, Resp> request) {
    Tokens.Identity caller = Tokens.Identity.ANYONE;
    if (tokens.required()) {
      String client = request.connection().remoteAddress().hostAddress();
      long now = System.currentTimeMillis();
      long wait = failures.retryAfterMs(client, now);
      if (wait > 0) {
        refuse(request, GrpcStatuses.of(ErrorCode.TOO_MANY_REQUESTS.code), "too many wrong tokens from " + client
            + "; try again in " + (wait + 999) / 1000 + " s");
        return null;
      }
      caller = tokens.identify(request.headers().get("authorization"));
      switch (caller.verdict()) {
        case MISSING -> {
          refuse(request, GrpcStatus.UNAUTHENTICATED, "send the token as metadata: authorization: Bearer TOKEN");
          return null;
        }
        case WRONG -> {
          failures.failed(client, now);
          if (failures.retryAfterMs(client, now) > 0) {
            LOG.warn("gRPC {}: {} sent too many wrong tokens; refused for {} ms", request.fullMethodName(), client,
                failures.retryAfterMs(client, now));
          }
          refuse(request, GrpcStatus.UNAUTHENTICATED, "the token is not one of auth.tokens");
          return null;
        }
        default -> {
        }
      }
    }
    synchronized (this) {
      if (inFlight >= maxCallsInFlight) {
        String full = ErrorCode.FULL + maxCallsInFlight + " gRPC calls are in flight (http.maxInFlight); try again later";
        refuse(request, GrpcStatuses.of(ErrorCode.BUSY.code, full), full);
        return null;
      }
      inFlight++;
    }
    long start = System.nanoTime();
    return new GrpcCall<>(request, caller, status -> {
      release();
      recorder.ended(request.fullMethodName(), status.name(), System.nanoTime() - start);
    });
  }

  /** 403 (PERMISSION_DENIED) unless the caller's token may call {@code scope}, an event-bus address. */
  static void authorize(Tokens.Identity caller, String scope) {
    if (!caller.may(scope)) {
      throw new PixelbusException(ErrorCode.FORBIDDEN, "this token may not call " + scope);
    }
  }

  synchronized int inFlight() {
    return inFlight;
  }

  private synchronized void release() {
    inFlight--;
  }

  /**
   * Answers at once, before the message is read. The caller may still be sending it: that stream is then reset,
   * which is not worth a log line of its own (Vert.x logs an error no handler took as SEVERE).
   */
  private void refuse(GrpcServerRequest<?, ?> request, GrpcStatus status, String message) {
    recorder.ended(request.fullMethodName(), status.name(), 0);
    request.exceptionHandler(e -> LOG.debug("gRPC {}: refused {}, then {}", request.fullMethodName(), status, e.toString()));
    request.errorHandler(e -> LOG.debug("gRPC {}: refused {}, then {}", request.fullMethodName(), status, e));
    GrpcStatuses.end(request.response(), status, message);
  }
}
