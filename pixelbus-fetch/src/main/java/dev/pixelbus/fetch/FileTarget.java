package dev.pixelbus.fetch;

import dev.pixelbus.api.ErrorCode;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import java.nio.file.Path;

/**
 * Where one download's body goes on disk, shared by the file strategies: the job's folder, names, byte
 * counter, rate limit and options ({@code run}), the caller's item (its {@code out} and checksum), the
 * part files, and the limits.
 *
 * @param wanted the file name the URL (or the caller's {@code out}) asks for, before the response's type
 *               may add an extension
 */
record FileTarget(Vertx vertx, PartFiles parts, FetchSettings settings, Downloader.Run run, FetchItem item,
                  String wanted) {

  /** A name claimed in the job for one body, and the base it came from (the next suffix is made from the base). */
  record Named(String base, String name) {
  }

  Path dir() {
    return run.dir();
  }

  Names names() {
    return run.names();
  }

  /** The sink of a new file: a small announced body read whole ({@link SmallBody}), any other streamed. */
  BodySink<Saved> newFile() {
    SmallBody small = new SmallBody(this);
    StreamedBody streamed = new StreamedBody(this);
    return response -> (small.fits(response) ? small : streamed).save(response);
  }

  /**
   * A new file's name, claimed in the job: the one asked for, with an extension from Content-Type unless
   * the caller named the file or a conditional fetch must find it again by its URL's name. A
   * Content-Length over the limit is refused first (413), and the connection reset.
   */
  Future<Named> claim(Response response) {
    long length = response.contentLength();
    if (length > settings.maxFileBytes()) {
      response.reset();
      return Future.failedFuture(FetchError.of(ErrorCode.TOO_LARGE,
          "Content-Length " + length + " is over the limit of " + settings.maxFileBytes() + " bytes"));
    }
    String base = item.out() != null || run.options().ifModified() ? wanted
        : FileNames.withExtension(wanted, response.header(HttpHeaders.CONTENT_TYPE));
    return Future.succeededFuture(new Named(base, run.names().claim(base)));
  }

  /** Blocking: for a conditional fetch, the file takes the response's Last-Modified and ETag for next time. */
  String stamped(String finalName, Response response) {
    if (run.options().ifModified()) {
      OnDisk.stamp(dir().resolve(finalName), response.header(HttpHeaders.LAST_MODIFIED),
          response.header(HttpHeaders.ETAG));
    }
    return finalName;
  }

  /** Why a streamed body must not be kept, or null when it may be. */
  Throwable bodyFailure(AsyncResult<Void> piped, AsyncResult<Void> closed, LimitedFileStream out, long length, Path part,
                        Checksum checksum) {
    if (out.overLimit()) {
      return FetchError.of(ErrorCode.TOO_LARGE, "body over the limit of " + settings.maxFileBytes()
          + " bytes: download stopped");
    }
    if (piped.failed()) {
      return piped.cause();
    }
    if (closed.failed()) {
      return FetchError.of(ErrorCode.INTERNAL, "cannot write " + part + ": " + closed.cause().getMessage());
    }
    if (length >= 0 && out.written() != length) {
      return new FetchError(ErrorCode.BAD_GATEWAY, "body ended after " + out.written() + " of " + length + " bytes",
          true, null);
    }
    return checksum == null ? null : checksum.mismatch(out.digest());
  }
}
