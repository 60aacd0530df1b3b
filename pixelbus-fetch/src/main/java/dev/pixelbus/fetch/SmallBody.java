package dev.pixelbus.fetch;

import dev.pixelbus.api.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

/**
 * Strategy: a body announced at most {@code fetch.smallBodyBytes} long is read whole, then written,
 * closed and named in one blocking step. Streaming it would cost four hops to the blocking pool (open,
 * write, close, rename) for 32 KB; this costs one (measured: docs/fetch.md). Memory stays bounded: at
 * most concurrency × smallBodyBytes.
 */
final class SmallBody implements BodySink<Saved> {
  private final FileTarget to;

  SmallBody(FileTarget to) {
    this.to = to;
  }

  /**
   * Whether a response's body is one for this strategy. A rate-limited job streams every body: a body
   * read whole would come at the server's pace, past the limit's back-pressure.
   */
  boolean fits(Response response) {
    long length = response.contentLength();
    return length >= 0 && length <= to.settings().smallBodyBytes() && to.run().throttle() == null;
  }

  @Override
  public Future<Outcome<Saved>> save(Response response) {
    return to.claim(response).compose(named -> read(response, named)).map(Outcome::done);
  }

  private Future<Saved> read(Response response, FileTarget.Named named) {
    long length = response.contentLength();
    // Collected into direct memory of the announced size: body() would grow its buffer as chunks come,
    // copying what it holds at each step, and the JDK would copy a heap buffer again to write it
    // (measured: docs/fetch.md, "levers").
    DirectBody direct = new DirectBody((int) length);
    Buffer collected = direct.buffer();
    Promise<Buffer> ended = Promise.promise();
    response.body().handler(collected::appendBuffer).endHandler(v -> ended.tryComplete(collected))
        .exceptionHandler(ended::tryFail);
    response.body().resume();
    Checksum checksum = to.item().checksum();
    return ended.future().compose(whole -> {
      if (whole.length() != length) {
        return Future.failedFuture(new FetchError(ErrorCode.BAD_GATEWAY,
            "body ended after " + whole.length() + " of " + length + " bytes", true, null));
      }
      FetchError mismatch = checksum == null ? null : checksum.mismatch(checksum.digest().digest(whole.getBytes()));
      if (mismatch != null) {
        return Future.failedFuture(mismatch);
      }
      return to.vertx().executeBlocking(() -> {
        String finalName = to.parts().writeWhole(to.dir(), named.base(), named.name(), to.names(), direct.nio());
        return new Saved(to.dir().resolve(to.stamped(finalName, response)), whole.length(), response.status());
      }, false);
    }).onSuccess(saved -> to.run().progress().accept(saved.bytes()))
        .onFailure(e -> to.names().release(named.name()))
        .onComplete(x -> direct.release());
  }
}
