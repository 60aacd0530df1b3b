package dev.pixelbus.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.pixelbus.api.ErrorCode;
import dev.pixelbus.api.PixelbusException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one table of gRPC statuses ({@link ErrorCode#grpcStatus}), row by row: a new code fails here until it has one. */
class GrpcStatusesTest {
  /** The table as docs/grpc.md shows it. */
  private static final Map<ErrorCode, GrpcStatus> TABLE = new EnumMap<>(Map.ofEntries(
      Map.entry(ErrorCode.BAD_REQUEST, GrpcStatus.INVALID_ARGUMENT),
      Map.entry(ErrorCode.UNAUTHORIZED, GrpcStatus.UNAUTHENTICATED),
      Map.entry(ErrorCode.FORBIDDEN, GrpcStatus.PERMISSION_DENIED),
      Map.entry(ErrorCode.NOT_FOUND, GrpcStatus.NOT_FOUND),
      Map.entry(ErrorCode.METHOD_NOT_ALLOWED, GrpcStatus.UNIMPLEMENTED),
      Map.entry(ErrorCode.REQUEST_TIMEOUT, GrpcStatus.DEADLINE_EXCEEDED),
      Map.entry(ErrorCode.PRECONDITION_FAILED, GrpcStatus.FAILED_PRECONDITION),
      Map.entry(ErrorCode.TOO_LARGE, GrpcStatus.RESOURCE_EXHAUSTED),
      Map.entry(ErrorCode.UNSUPPORTED_MEDIA, GrpcStatus.INVALID_ARGUMENT),
      Map.entry(ErrorCode.TOO_MANY_REQUESTS, GrpcStatus.RESOURCE_EXHAUSTED),
      Map.entry(ErrorCode.INTERNAL, GrpcStatus.INTERNAL),
      Map.entry(ErrorCode.BAD_GATEWAY, GrpcStatus.UNAVAILABLE),
      Map.entry(ErrorCode.BUSY, GrpcStatus.UNAVAILABLE),
      Map.entry(ErrorCode.GATEWAY_TIMEOUT, GrpcStatus.DEADLINE_EXCEEDED)));

  @Test
  void everyCodeHasItsStatus() {
    for (ErrorCode code : ErrorCode.values()) {
      assertNotNull(TABLE.get(code), code + " is not in this test's table (nor docs/grpc.md's): add its row");
      assertEquals(TABLE.get(code), GrpcStatus.valueOf(code.grpcStatus), code.toString());
      assertEquals(TABLE.get(code), GrpcStatuses.of(code.code), code.toString());
    }
  }

  @Test
  void aCodeTheContractDoesNotListTakesGrpcsMappingOfHttp() {
    assertEquals(GrpcStatus.UNKNOWN, GrpcStatuses.of(410));
    assertEquals(GrpcStatus.UNKNOWN, GrpcStatuses.of(418));
    assertEquals(GrpcStatus.UNKNOWN, GrpcStatuses.of(-1));
  }

  @Test
  void aFailureKeepsItsMessageAsGrpcMessage() {
    StatusException s = GrpcStatuses.failure(new PixelbusException(ErrorCode.TOO_LARGE, "the image is 9 MB, over 8 MB"));
    assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, s.status());
    assertEquals("the image is 9 MB, over 8 MB", s.message());
    StatusException remote = GrpcStatuses.failure(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 415, "not an image"));
    assertEquals(GrpcStatus.INVALID_ARGUMENT, remote.status());
    assertEquals("not an image", remote.message());
  }

  @Test
  void aFullQueueIsResourceExhaustedAndAStoppingServerUnavailable() {
    assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, GrpcStatuses.failure(new ReplyException(ReplyFailure.RECIPIENT_FAILURE,
        503, ErrorCode.FULL + "all 2 image workers are working and 256 requests are queued")).status());
    assertEquals(GrpcStatus.UNAVAILABLE, GrpcStatuses.failure(new ReplyException(ReplyFailure.RECIPIENT_FAILURE,
        503, "pixelbus is shutting down; try again later")).status());
    assertEquals("RESOURCE_EXHAUSTED", ErrorCode.BUSY.grpcStatus(ErrorCode.FULL + "8 fetch jobs are running"));
    assertEquals("UNAVAILABLE", ErrorCode.BUSY.grpcStatus(null));
    assertEquals("INVALID_ARGUMENT", ErrorCode.BAD_REQUEST.grpcStatus(ErrorCode.FULL + "not a queue"));
  }

  @Test
  void noReplyInTimeIsDeadlineExceededAndNobodyServingIsUnavailable() {
    assertEquals(GrpcStatus.DEADLINE_EXCEEDED,
        GrpcStatuses.failure(new ReplyException(ReplyFailure.TIMEOUT, -1, "timed out")).status());
    assertEquals(GrpcStatus.UNAVAILABLE,
        GrpcStatuses.failure(new ReplyException(ReplyFailure.NO_HANDLERS, -1, "pixelbus.image.grayscale")).status());
    assertEquals(GrpcStatus.INTERNAL, GrpcStatuses.failure(new IllegalStateException("a bug")).status());
  }

  /** The spec's encoding: printable ASCII but '%' as it is, so that every client shows ': , =' as they are. */
  @Test
  void grpcMessageIsPercentEncodedAsTheSpecSays() {
    assertEquals("steps[0]: unknown op 'sepia': use one of [info, grayscale]",
        GrpcStatuses.percentEncode("steps[0]: unknown op 'sepia': use one of [info, grayscale]"));
    assertEquals("100%25 of 8 MB, caf%C3%A9%0Anext", GrpcStatuses.percentEncode("100% of 8 MB, café\nnext"));
  }
}
