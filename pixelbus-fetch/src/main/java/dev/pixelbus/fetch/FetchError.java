package dev.pixelbus.fetch;

import dev.pixelbus.api.ErrorCode;
import dev.pixelbus.api.PixelbusException;
import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Why one URL failed: a contract code (400 bad URL, 413 too large, 500, 502 for a connection or
 * protocol failure: refused, reset, closed early, a redirect loop; 504 for a timeout) or the remote
 * server's own HTTP status (404, 410, 429, 500, ...), kept as it is; and whether another attempt may
 * help.
 */
public class FetchError extends PixelbusException {
  private static final String CLOSED = "the server closed the connection before the whole response arrived";
  /** Whether another attempt may succeed (connection errors, 5xx, 429). */
  private final boolean retryable;
  private final String retryAfter;

  public FetchError(int code, String message, boolean retryable, String retryAfter) {
    super(code, message);
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  public FetchError(ErrorCode code, String message, boolean retryable, String retryAfter) {
    this(code.code, message, retryable, retryAfter);
  }

  public static FetchError of(ErrorCode code, String message) {
    return new FetchError(code, message, false, null);
  }

  /** A URL the request-forgery guard refused: 403, never tried again, and no connection opened. */
  public static FetchError refused(String message) {
    return new Refused(message);
  }

  /** Whether the guard refused the URL (a server's own 403 is not this). */
  public boolean refusedByGuard() {
    return this instanceof Refused;
  }

  private static final class Refused extends FetchError {
    Refused(String message) {
      super(ErrorCode.FORBIDDEN, "refused: " + message, false, null);
    }
  }

  /** The remote server's own status (404, 503, ...), kept as the code: not a code of pixelbus's. */
  public static FetchError remote(int status, String message, boolean retryable, String retryAfter) {
    return new Remote(status, message, retryable, retryAfter);
  }

  /** The same failure, of the same kind (the remote server's status stays one), told otherwise. */
  public FetchError withMessage(String message) {
    return remoteStatus() ? remote(failureCode(), message, retryable, retryAfter)
        : new FetchError(failureCode(), message, retryable, retryAfter);
  }

  /** Whether the code is the remote server's own status rather than pixelbus's. */
  public boolean remoteStatus() {
    return this instanceof Remote;
  }

  private static final class Remote extends FetchError {
    Remote(int status, String message, boolean retryable, String retryAfter) {
      super(status, message, retryable, retryAfter);
    }
  }

  /** A remote server's status, or a code that came with another failure. */
  public static FetchError of(int code, String message) {
    return new FetchError(code, message, false, null);
  }

  /** Whether the server closed the connection under the request (often a kept-alive one it had just let go). */
  public boolean connectionClosed() {
    return !remoteStatus() && getMessage() != null && getMessage().startsWith(CLOSED);
  }

  public boolean retryable() {
    return retryable;
  }

  public String retryAfter() {
    return retryAfter;
  }

  /** A failure as the user should read it, with whether another attempt may help. */
  public static FetchError classify(Throwable failure) {
    if (failure instanceof FetchError error) {
      return error;
    }
    String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    if (message.contains("Connection was closed")) {
      return new FetchError(ErrorCode.BAD_GATEWAY, CLOSED, true, null);
    }
    if (failure instanceof ConnectTimeoutException) {
      return new FetchError(ErrorCode.GATEWAY_TIMEOUT, "timed out connecting: " + message, true, null);
    }
    if (failure instanceof ConnectException) {
      return new FetchError(ErrorCode.BAD_GATEWAY, "cannot connect: " + message, true, null);
    }
    if (failure instanceof UnknownHostException) {
      return FetchError.of(ErrorCode.BAD_GATEWAY, "unknown host: " + message);
    }
    if (failure instanceof SSLException || message.contains("SSLHandshake") || message.contains("PKIX")) {
      return FetchError.of(ErrorCode.BAD_GATEWAY, "TLS: " + message + " (--insecure skips the certificate check)");
    }
    if (failure instanceof TimeoutException || message.toLowerCase(Locale.ROOT).contains("timeout")
        || message.toLowerCase(Locale.ROOT).contains("timed out")) {
      return new FetchError(ErrorCode.GATEWAY_TIMEOUT, "timed out: " + message, true, null);
    }
    return new FetchError(ErrorCode.BAD_GATEWAY, "connection failed: " + message, true, null);
  }
}
