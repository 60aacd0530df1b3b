package dev.pixelbus.fetch;

import dev.pixelbus.api.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;

/**
 * Strategy: a body kept in memory, for an image server's source. At most {@code maxBytes}: a longer
 * announced body is refused before a byte is read, and one that runs past it is cut there (413, the
 * connection reset). With a cached copy's validators it asks conditionally, and a 304 keeps the copy.
 */
final class MemoryBody implements BodySink<SourceBody> {
  private final long maxBytes;
  private final String ifNoneMatch;
  private final String ifModifiedSince;

  MemoryBody(long maxBytes, String ifNoneMatch, String ifModifiedSince) {
    this.maxBytes = maxBytes;
    this.ifNoneMatch = ifNoneMatch;
    this.ifModifiedSince = ifModifiedSince;
  }

  @Override
  public void addHeaders(RequestOptions request) {
    if (ifNoneMatch != null) {
      request.putHeader(HttpHeaders.IF_NONE_MATCH, ifNoneMatch);
    }
    if (ifModifiedSince != null) {
      request.putHeader(HttpHeaders.IF_MODIFIED_SINCE, ifModifiedSince);
    }
  }

  @Override
  public boolean takes(int status) {
    return status >= 200 && status < 300 || status == 304 && (ifNoneMatch != null || ifModifiedSince != null);
  }

  @Override
  public Future<Outcome<SourceBody>> save(Response response) {
    if (response.status() == 304) {
      response.drain();
      return Future.succeededFuture(Outcome.done(SourceBody.of(response, null)));
    }
    long length = response.contentLength();
    if (length > maxBytes) {
      response.reset();
      return Future.failedFuture(FetchError.of(ErrorCode.TOO_LARGE, "its body is " + length + " bytes, over the limit of "
          + maxBytes + " (image.maxInputBytes)"));
    }
    Buffer body = Buffer.buffer(length >= 0 ? (int) length : 64 << 10);
    Promise<Outcome<SourceBody>> done = Promise.promise();
    response.body().handler(chunk -> {
      if (body.length() + chunk.length() > maxBytes) {
        response.reset(); // nothing more is read: the limit holds whatever the server sends
        done.tryFail(FetchError.of(ErrorCode.TOO_LARGE, "its body runs past the limit of " + maxBytes
            + " bytes (image.maxInputBytes)"));
        return;
      }
      body.appendBuffer(chunk);
    }).endHandler(v -> {
      if (length >= 0 && body.length() != length) {
        done.tryFail(new FetchError(ErrorCode.BAD_GATEWAY, "its body ended after " + body.length() + " of " + length
            + " bytes", false, null));
      } else {
        done.tryComplete(Outcome.done(SourceBody.of(response, body)));
      }
    }).exceptionHandler(done::tryFail);
    response.body().resume();
    return done.future();
  }
}
