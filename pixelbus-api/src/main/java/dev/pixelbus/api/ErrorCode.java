package dev.pixelbus.api;

/**
 * Every failure code pixelbus sends, on the event bus (a {@code ReplyException}'s failure code), over
 * HTTP (the status) and over the bridges (the {@code err} frame). They are HTTP status codes, so that
 * a client in any language can act on them without a table. A code that is not listed here (a
 * remote server's 429 in a fetch, say) is kept as it is, never flattened to 500.
 */
public enum ErrorCode {
  /** A parameter, body or path that cannot be used as given. */
  BAD_REQUEST(400, "INVALID_ARGUMENT"),
  /** No token, or a wrong one. */
  UNAUTHORIZED(401, "UNAUTHENTICATED"),
  /** A path outside the roots, a token that may not call this, a page of another origin, or a fetch URL aimed at a private address. */
  FORBIDDEN(403, "PERMISSION_DENIED"),
  /** No such file, folder, route or job; or no face for facecrop to crop to (the message starts {@code faceNotFound}). */
  NOT_FOUND(404, "NOT_FOUND"),
  /** An HTTP method the route does not take. */
  METHOD_NOT_ALLOWED(405, "UNIMPLEMENTED"),
  /** A body that did not arrive in time. */
  REQUEST_TIMEOUT(408, "DEADLINE_EXCEEDED"),
  /** A fetched body whose digest is not the checksum the caller gave (nothing is kept). */
  PRECONDITION_FAILED(412, "FAILED_PRECONDITION"),
  /** An image, body, frame or line over its limit. */
  TOO_LARGE(413, "RESOURCE_EXHAUSTED"),
  /** Not an image that can be read. */
  UNSUPPORTED_MEDIA(415, "INVALID_ARGUMENT"),
  /** Too many wrong tokens from one client address: wait (HTTP says how long in Retry-After). */
  TOO_MANY_REQUESTS(429, "RESOURCE_EXHAUSTED"),
  /** Anything else: the message says what. */
  INTERNAL(500, "INTERNAL"),
  /** A remote server failed (a fetch: refused, reset, closed early, a redirect loop). */
  BAD_GATEWAY(502, "UNAVAILABLE"),
  /**
   * Busy: a queue or a limit is full (the message then starts with {@link #FULL}), or pixelbus is stopping, or
   * nothing serves the address yet; try again later.
   */
  BUSY(503, "UNAVAILABLE"),
  /** A remote server did not answer in time (a fetch). */
  GATEWAY_TIMEOUT(504, "DEADLINE_EXCEEDED");

  public final int code;
  /**
   * The gRPC status a call answers with for this code (its name, as in {@code grpc/status.proto}; the message goes
   * in {@code grpc-message}). The one table of the mapping, so that a new code cannot be added without choosing
   * one: 413 is RESOURCE_EXHAUSTED, as gRPC itself answers an oversized message; 503 is UNAVAILABLE (stopping,
   * nothing serving: the status gRPC clients retry), but a full queue is RESOURCE_EXHAUSTED ({@link #grpcStatus(String)});
   * 415 is INVALID_ARGUMENT, the caller's bytes being the argument.
   * docs/grpc.md has the table and the reasons.
   */
  public final String grpcStatus;

  /**
   * How a {@link #BUSY} message starts when a queue or a limit is full, rather than the service stopping or not
   * there: gRPC tells the two apart (RESOURCE_EXHAUSTED against UNAVAILABLE), HTTP does not (503 for both).
   */
  public static final String FULL = "busy: ";

  ErrorCode(int code, String grpcStatus) {
    this.code = code;
    this.grpcStatus = grpcStatus;
  }

  /**
   * The gRPC status of a failure with this code and message: the table's, except that a full queue or limit
   * ({@link #BUSY}, the message starting with {@link #FULL}) is RESOURCE_EXHAUSTED, the server's capacity spent
   * for now, while a BUSY that is not a full queue (stopping, nothing serving) stays UNAVAILABLE.
   */
  public String grpcStatus(String message) {
    return this == BUSY && message != null && message.startsWith(FULL) ? "RESOURCE_EXHAUSTED" : grpcStatus;
  }

  /** The listed code, or null for one that is not listed. */
  public static ErrorCode of(int code) {
    for (ErrorCode c : values()) {
      if (c.code == code) {
        return c;
      }
    }
    return null;
  }
}
