package dev.pixelbus.fetch;

import io.vertx.core.Future;
import io.vertx.core.file.AsyncFile;
import java.util.function.LongConsumer;

/**
 * Strategy: the body piped into {@code NAME.part} ({@link PartFiles}) with back-pressure (the response
 * is paused while the file's write queue is full), so memory does not depend on its size. The part gets
 * its final name only when the whole body arrived, every write reached the disk and the checksum, if
 * one was asked for, matches; on any failure it is deleted.
 */
final class StreamedBody implements BodySink<Saved> {
  private final FileTarget to;

  StreamedBody(FileTarget to) {
    this.to = to;
  }

  @Override
  public Future<Outcome<Saved>> save(Response response) {
    return to.claim(response).compose(named -> stream(response, named)).map(Outcome::done);
  }

  private Future<Saved> stream(Response response, FileTarget.Named named) {
    long length = response.contentLength();
    PartFiles parts = to.parts();
    Names names = to.names();
    LongConsumer progress = to.run().progress();
    Checksum checksum = to.item().checksum();
    return parts.open(to.dir(), named.base(), named.name(), names)
        .recover(e -> {
          response.reset();
          return Future.failedFuture(e);
        })
        .compose(opened -> {
          AsyncFile file = opened.file();
          LimitedFileStream out = new LimitedFileStream(file, to.settings().maxFileBytes(), progress,
              checksum == null ? null : checksum.digest(), to.run().throttle());
          // The file is closed here, never by the pipe, so that it is closed once on every path, and only
          // then named or deleted.
          return response.body().pipe().endOnSuccess(false).endOnFailure(false).to(out).transform(piped -> {
            if (piped.failed()) {
              response.reset(); // before the close: no more of its body may reach the file
            }
            return file.close().transform(closed -> {
              Throwable why = to.bodyFailure(piped, closed, out, length, opened.part(), checksum);
              if (why != null) {
                return parts.discard(opened, names, out.written(), progress, why);
              }
              return to.vertx().executeBlocking(() -> to.stamped(parts.keep(to.dir(), opened, named.base(), out.written(),
                      names), response), false)
                  .map(finalName -> new Saved(to.dir().resolve(finalName), out.written(), response.status()))
                  .recover(e -> parts.discard(opened, names, out.written(), progress, e));
            });
          });
        });
  }
}
