package dev.pixelbus.api;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * A failure with a contract code ({@link #failureCode()}, see {@link ErrorCode}) and a message a
 * person can act on. It is a {@link ReplyException} of type {@code RECIPIENT_FAILURE}: what a caller
 * on the event bus sees for any failed request, so that one {@code catch} or {@code recover} serves
 * every surface. Pure code throws it too; it carries no stack trace.
 */
public class PixelbusException extends ReplyException {

  public PixelbusException(int code, String message) {
    super(ReplyFailure.RECIPIENT_FAILURE, code, message, true);
  }

  public PixelbusException(ErrorCode code, String message) {
    this(code.code, message);
  }

  /** Whether the failure has this code. */
  public boolean is(ErrorCode code) {
    return failureCode() == code.code;
  }

  public static PixelbusException badRequest(String message) {
    return new PixelbusException(ErrorCode.BAD_REQUEST, message);
  }

  public static PixelbusException unsupported(String message) {
    return new PixelbusException(ErrorCode.UNSUPPORTED_MEDIA, message);
  }

  /**
   * Any failure of a request as the contract's exception: a recipient's code as it was sent (a
   * {@code ServiceException}'s too), 503 when nothing serves the address, 500 when no reply came in
   * time, 500 for anything else.
   */
  public static PixelbusException from(Throwable e) {
    if (e instanceof PixelbusException pe) {
      return pe;
    }
    if (e instanceof ReplyException re) {
      return switch (re.failureType()) {
        case RECIPIENT_FAILURE -> new PixelbusException(re.failureCode(), re.getMessage());
        case NO_HANDLERS -> new PixelbusException(ErrorCode.BUSY, "nothing serves this address (is the part deployed?): "
            + re.getMessage());
        case TIMEOUT -> new PixelbusException(ErrorCode.INTERNAL, "no reply in time: " + re.getMessage());
        default -> new PixelbusException(ErrorCode.INTERNAL, String.valueOf(re.getMessage()));
      };
    }
    return new PixelbusException(ErrorCode.INTERNAL, String.valueOf(e));
  }
}
