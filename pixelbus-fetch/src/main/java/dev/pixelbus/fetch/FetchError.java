package dev.pixelbus.fetch;

/**
 * Why one URL failed, with a code: the contract's (400 bad URL, 413 too large, 500) or the remote
 * server's HTTP status (404, 410, 429, 500, …), 502 for a connection or protocol failure (refused,
 * reset, closed early, redirect loop), 504 for a timeout.
 */
public final class FetchError extends RuntimeException {
  public static final int BAD_URL = 400;
  public static final int TOO_LARGE = 413;
  public static final int BAD_GATEWAY = 502;
  public static final int TIMEOUT = 504;

  private final int code;
  /** Whether another attempt may succeed (connection errors, 5xx, 429). */
  private final boolean retryable;
  private final String retryAfter;

  public FetchError(int code, String message, boolean retryable, String retryAfter) {
    super(message, null, false, false);
    this.code = code;
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  public static FetchError of(int code, String message) {
    return new FetchError(code, message, false, null);
  }

  public int code() {
    return code;
  }

  public boolean retryable() {
    return retryable;
  }

  public String retryAfter() {
    return retryAfter;
  }
}
