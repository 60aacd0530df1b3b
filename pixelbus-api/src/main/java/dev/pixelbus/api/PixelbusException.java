package dev.pixelbus.api;

/** A failure with a contract code and a message a person can act on. Plain Java, usable by pure code. */
public class PixelbusException extends RuntimeException {
  private final ErrorCode code;

  public PixelbusException(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public PixelbusException(ErrorCode code, String message, Throwable cause) {
    super(message, cause, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  public static PixelbusException badRequest(String message) {
    return new PixelbusException(ErrorCode.BAD_REQUEST, message);
  }

  public static PixelbusException unsupported(String message) {
    return new PixelbusException(ErrorCode.UNSUPPORTED_MEDIA, message);
  }
}
