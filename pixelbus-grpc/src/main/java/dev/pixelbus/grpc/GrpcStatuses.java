package dev.pixelbus.grpc;

import dev.pixelbus.api.ErrorCode;
import dev.pixelbus.api.PixelbusException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.grpc.server.StatusException;
import java.nio.charset.StandardCharsets;

/**
 * The contract's failure codes as gRPC statuses. The table itself is {@link ErrorCode#grpcStatus}, beside the
 * codes, so that no code is added without its status; this reads it. A code the contract does not list (a remote
 * server's own status, kept by fetch in a download's failures, never a call's) is UNKNOWN.
 */
public final class GrpcStatuses {
  private GrpcStatuses() {
  }

  /** The status for one of the contract's codes, or for any other HTTP-like code. */
  public static GrpcStatus of(int code) {
    return of(code, null);
  }

  /** The status for a failure's code and message (a full queue's 503 is not a stopping server's). */
  public static GrpcStatus of(int code, String message) {
    ErrorCode listed = ErrorCode.of(code);
    return listed == null ? GrpcStatus.UNKNOWN : GrpcStatus.valueOf(listed.grpcStatus(message));
  }

  /**
   * Ends a call with a status and its message. The message goes in {@code grpc-message} percent-encoded as the gRPC
   * spec says (only bytes outside printable ASCII, and '%'): Vert.x 5.0.7 encodes it as a URL query value, ':' and ','
   * and '=' included, which grpc-js decodes with decodeURI and so shows its users as %3A, %2C, %3D.
   */
  static void end(GrpcServerResponse<?, ?> response, GrpcStatus status, String message) {
    response.status(status);
    if (message != null && !message.isEmpty()) {
      response.trailers().set("grpc-message", percentEncode(message));
    }
    response.end();
  }

  /** {@code Percent-Byte-Unencoded = 1*( %x20-%x24 / %x26-%x7E )}: every other UTF-8 byte as %XX. */
  static String percentEncode(String message) {
    StringBuilder out = new StringBuilder(message.length());
    for (byte b : message.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 0x20 && c <= 0x7e && c != '%') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  /** Any failure as the status a call ends with, its message as the status message (grpc-message). */
  public static StatusException failure(Throwable e) {
    if (e instanceof StatusException already) {
      return already;
    }
    if (e instanceof ReplyException re && re.failureType() == ReplyFailure.TIMEOUT) {
      // The event bus's send timeout is the call's deadline (or the configured one when the caller set none).
      return new StatusException(GrpcStatus.DEADLINE_EXCEEDED, "no answer in time: " + re.getMessage());
    }
    PixelbusException p = PixelbusException.from(e);
    return new StatusException(of(p.failureCode(), p.getMessage()), p.getMessage());
  }
}
