package dev.pixelbus.fetch;

import io.vertx.core.Context;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;

/**
 * One response of a download as the strategies see it: its status and headers, and its body as a
 * {@link BodyStream}, paused from the moment the response arrived (so nothing is lost before a strategy
 * has its file open) and holding a failure back until the data before it.
 */
final class Response {
  /** Bodies of refused responses up to this size are read to keep the connection; larger ones reset it. */
  private static final long DRAIN_LIMIT = 64 * 1024;

  private final HttpClientResponse http;
  private final BodyStream body;

  Response(HttpClientResponse http, Context context) {
    this.http = http;
    this.body = new BodyStream(http, context);
  }

  int status() {
    return http.statusCode();
  }

  String statusMessage() {
    return http.statusMessage();
  }

  String header(CharSequence name) {
    return http.getHeader(name);
  }

  /** The announced length, or -1 when there is none (or it is not a number). */
  long contentLength() {
    String value = http.getHeader(HttpHeaders.CONTENT_LENGTH);
    try {
      return value == null ? -1 : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  BodyStream body() {
    return body;
  }

  /** Stops the body: the connection is reset, and nothing more of it arrives. */
  void reset() {
    http.request().reset();
  }

  /** A body nobody keeps: read when small, to keep the connection; the connection reset otherwise. */
  void drain() {
    long length = contentLength();
    if (length >= 0 && length <= DRAIN_LIMIT) {
      http.handler(b -> { });
      http.resume();
    } else {
      reset();
    }
  }
}
