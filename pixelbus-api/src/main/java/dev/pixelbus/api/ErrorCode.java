package dev.pixelbus.api;

/**
 * The failure codes every surface shares (event bus, HTTP, bridge). They are HTTP status codes
 * so that a client in any language can act on them without a table.
 */
public enum ErrorCode {
  BAD_REQUEST(400),
  FORBIDDEN(403),
  NOT_FOUND(404),
  TOO_LARGE(413),
  UNSUPPORTED_MEDIA(415),
  INTERNAL(500),
  BUSY(503);

  public final int code;

  ErrorCode(int code) {
    this.code = code;
  }

  public static ErrorCode of(int code) {
    for (ErrorCode c : values()) {
      if (c.code == code) {
        return c;
      }
    }
    return INTERNAL;
  }
}
