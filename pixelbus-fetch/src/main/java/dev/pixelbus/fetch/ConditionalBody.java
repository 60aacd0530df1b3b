package dev.pixelbus.fetch;

import dev.pixelbus.api.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;

/**
 * Strategy for {@code ifModified}: for a file already there the request carries If-Modified-Since (the
 * file's time, set from the Last-Modified it was saved with, as {@code curl -R} and {@code wget -N} do)
 * and If-None-Match (its ETag, kept in an extended attribute). A 304 leaves the file and counts as done;
 * a 200 replaces it through a new file's sink, which names it from the URL alone and stamps it with the
 * response's validators for next time ({@link FileTarget#claim}, {@link FileTarget#stamped}).
 */
final class ConditionalBody implements BodySink<Saved> {
  private final FileTarget to;
  private final OnDisk disk;
  private final BodySink<Saved> replacement;

  private ConditionalBody(FileTarget to, OnDisk disk) {
    this.to = to;
    this.disk = disk;
    this.replacement = to.newFile();
  }

  /** Reads the file there and its validators (a stat and an attribute, off the loop). */
  static Future<BodySink<Saved>> open(FileTarget to) {
    return to.vertx().executeBlocking(() -> OnDisk.read(to.dir(), to.wanted(), false, true), false)
        .<BodySink<Saved>>map(disk -> new ConditionalBody(to, disk))
        .recover(e -> Future.failedFuture(FetchError.of(ErrorCode.INTERNAL,
            "cannot read " + to.dir().resolve(to.wanted()) + ": " + e)));
  }

  @Override
  public void addHeaders(RequestOptions request) {
    if (disk.fileModified() != null) {
      request.putHeader(HttpHeaders.IF_MODIFIED_SINCE, OnDisk.httpDate(disk.fileModified()));
      if (disk.fileEtag() != null) {
        request.putHeader(HttpHeaders.IF_NONE_MATCH, disk.fileEtag());
      }
    }
  }

  @Override
  public boolean takes(int status) {
    return BodySink.super.takes(status) || status == 304 && disk.fileModified() != null;
  }

  @Override
  public Future<Outcome<Saved>> save(Response response) {
    if (response.status() == 304) {
      response.drain(); // not modified: the file there is the one
      return Future.succeededFuture(Outcome.done(new Saved(to.dir().resolve(to.wanted()), disk.fileBytes(), 304)));
    }
    return replacement.save(response);
  }
}
