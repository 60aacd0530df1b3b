package dev.pixelbus.fetch;

import dev.pixelbus.api.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * Strategy for {@code continue}: a download that stops keeps {@code NAME.part}, and beside it the
 * validator of the response it came from ({@code NAME.part.validator}). The next run asks for the rest
 * with Range and If-Range and appends the 206's body. A 200 instead (the server ignores ranges, or
 * If-Range said the file changed) replaces the part from the start; a 206 of another range starts it
 * over ({@link Outcome.Restart}); a 416 whose {@code Content-Range: bytes *}{@code /N} is the part's size
 * names the part as it is. The file is named from the URL alone (no extension from Content-Type), so
 * that the next run finds its part, and only once the whole body is there and matches its checksum.
 */
final class ResumableBody implements BodySink<Saved> {
  private final FileTarget to;
  /** Claimed before the first request: the name the previous run's part is found under. */
  private final String name;
  private final OnDisk disk;
  /** The part turned out unusable: the next request asks for the whole body. */
  private boolean fresh;

  private ResumableBody(FileTarget to, String name, OnDisk disk) {
    this.to = to;
    this.name = name;
    this.disk = disk;
  }

  /** Claims the name and reads what a previous run left under it (a stat and a small read, off the loop). */
  static Future<BodySink<Saved>> open(FileTarget to) {
    String name = to.names().claim(to.wanted());
    return to.vertx().executeBlocking(() -> OnDisk.read(to.dir(), name, true, false), false)
        .<BodySink<Saved>>map(disk -> new ResumableBody(to, name, disk))
        .recover(e -> {
          to.names().release(name);
          return Future.failedFuture(FetchError.of(ErrorCode.INTERNAL, "cannot read " + to.dir().resolve(name) + ": " + e));
        });
  }

  /** Whether the next request asks for the rest of the part (a part without a validator is started over). */
  private boolean resuming() {
    return disk.resumable() && !fresh;
  }

  @Override
  public void addHeaders(RequestOptions request) {
    if (resuming()) {
      request.putHeader("Range", "bytes=" + disk.partBytes() + "-").putHeader("If-Range", disk.validator());
    }
  }

  @Override
  public boolean takes(int status) {
    return BodySink.super.takes(status) || status == 416 && resuming();
  }

  @Override
  public Future<Outcome<Saved>> save(Response response) {
    int status = response.status();
    if (status == 416) {
      long total = OnDisk.unsatisfiedTotal(response.header(HttpHeaders.CONTENT_RANGE));
      response.drain();
      return total == disk.partBytes() ? publish(response, 206) : restart(); // the part is whole already
    }
    boolean resumed = resuming() && status == 206;
    long[] range = status == 206 ? OnDisk.contentRange(response.header(HttpHeaders.CONTENT_RANGE)) : null;
    if (resumed && (range == null || range[0] != disk.partBytes())) {
      response.reset();
      return restart(); // another range than the one asked for
    }
    long from = resumed ? disk.partBytes() : 0; // a 200: the server sent it all again
    long total = range != null ? range[1] : response.contentLength();
    long max = to.settings().maxFileBytes();
    if (total > max) {
      response.reset();
      return Future.failedFuture(FetchError.of(ErrorCode.TOO_LARGE,
          "the body of " + total + " bytes is over the limit of " + max + " bytes"));
    }
    return write(response, from, total).compose(v -> publish(response, status));
  }

  /** The part could not be continued: forgotten, and the URL asked for again whole. */
  private Future<Outcome<Saved>> restart() {
    fresh = true;
    return to.vertx().executeBlocking(() -> {
      OnDisk.forgetPart(to.dir(), name);
      return new Outcome.Restart<>();
    }, false);
  }

  /**
   * The body streamed into {@code NAME.part}, appended from {@code from} (a 206) or from the start with
   * the response's validator beside it (a 200), for the next run to continue. On a failure the part
   * stays, unless what it holds cannot be the body (over the size limit).
   */
  private Future<Void> write(Response response, long from, long total) {
    Path dir = to.dir();
    Path part = dir.resolve(name + Names.PART);
    Future<Void> ready = from > 0 ? Future.succeededFuture() : to.vertx().executeBlocking(() -> {
      OnDisk.writeValidator(dir, name, OnDisk.validatorOf(response.header(HttpHeaders.ETAG),
          response.header(HttpHeaders.LAST_MODIFIED)));
      return null;
    }, false);
    OpenOptions mode = new OpenOptions().setWrite(true).setCreate(true).setTruncateExisting(from == 0);
    // The position is set to the part's end rather than with OpenOptions.setAppend: AsyncFile writes at
    // positions of its own.
    // One write at a time: AsyncFile starts the next write before the last one is done, and after a
    // SIGKILL a later write may have landed while an earlier one had not, leaving a hole that a resume
    // from the part's size would keep (seen once in two runs of FetchKilledResumeTest before this). With
    // one write in flight, what is on disk is always the body's first bytes.
    return ready.compose(v -> to.vertx().fileSystem().open(part.toString(), mode))
        .map(f -> (AsyncFile) f.setWritePos(from).setWriteQueueMaxSize(2)).recover(e -> {
          response.reset();
          return Future.failedFuture(FetchError.of(ErrorCode.INTERNAL, "cannot write " + part + ": " + e.getMessage()));
        }).compose(file -> {
          LimitedFileStream out = new LimitedFileStream(file, to.settings().maxFileBytes() - from, to.run().progress(),
              null, to.run().throttle());
          return response.body().pipe().endOnSuccess(false).endOnFailure(false).to(out).transform(piped -> {
            if (piped.failed()) {
              response.reset();
            }
            return file.close().transform(closed -> {
              Throwable why = to.bodyFailure(piped, closed, out, total < 0 ? -1 : total - from, part, null);
              if (why == null) {
                return Future.succeededFuture();
              }
              if (out.overLimit()) {
                return to.vertx().executeBlocking(() -> {
                  OnDisk.forgetPart(dir, name);
                  return null;
                }, false).transform(x -> Future.failedFuture(why));
              }
              FetchError e = FetchError.classify(why);
              return Future.failedFuture(new FetchError(e.failureCode(), e.getMessage() + " (" + part.getFileName()
                  + " kept with " + (from + out.written()) + " bytes: continue resumes it)", e.retryable(), e.retryAfter()));
            });
          });
        });
  }

  /** The whole body is in {@code NAME.part}: checked against the checksum, named, its validator file removed. */
  private Future<Outcome<Saved>> publish(Response response, int status) {
    Path dir = to.dir();
    Path part = dir.resolve(name + Names.PART);
    String lastModified = response.header(HttpHeaders.LAST_MODIFIED);
    String etag = response.header(HttpHeaders.ETAG);
    Checksum checksum = to.item().checksum();
    return to.vertx().executeBlocking(() -> {
      long size = Files.size(part);
      if (checksum != null) {
        FetchError mismatch = checksum.mismatch(digestOf(part, checksum));
        if (mismatch != null) {
          OnDisk.forgetPart(dir, name);
          throw mismatch;
        }
      }
      String finalName = to.parts().keep(dir, new PartFiles.Opened(name, part, null), name, size, to.names());
      Files.deleteIfExists(dir.resolve(name + Names.PART + OnDisk.VALIDATOR));
      OnDisk.stamp(dir.resolve(finalName), lastModified, etag);
      return Outcome.done(new Saved(dir.resolve(finalName), size, status));
    }, false).onFailure(e -> to.names().release(name));
  }

  /** Blocking: the digest of a whole file, read in 1 MiB pieces (a resumed body was not all seen by this run). */
  private static byte[] digestOf(Path file, Checksum checksum) throws IOException {
    MessageDigest digest = checksum.digest();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 20];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return digest.digest();
  }
}
