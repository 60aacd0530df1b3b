package dev.pixelbus.fetch;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.streams.ReadStream;

/**
 * A response's body that reports a failure only after the data read before it.
 *
 * <p>Vert.x 5.0.7 reports a connection's close to a response at once, ahead of the body it had read
 * but not yet delivered because the response was paused (while its file opened, or under the
 * file's back-pressure). A server that closes right after its body (HTTP/1.0, {@code Connection:
 * close}) then looks like one that cut the body short, and the rest of the body still arrives
 * afterwards: a whole download was counted failed and fetched again (seen in 4 of 20 downloads
 * from Python's http.server; FetchClosingServerTest). Here a failure waits until the body flows
 * and has been quiet for {@value #QUIET_MILLIS} ms; an end that comes meanwhile wins. One turn of
 * the event loop was not enough (the held data crosses threads: 2 of 20 still failed); with the
 * quiet period none did, in 5 runs. A body truly cut short fails that much later.
 *
 * <p>Paused from the start, so nothing is lost before the body's consumer is attached.
 */
final class BodyStream implements ReadStream<Buffer> {
  static final long QUIET_MILLIS = 25;

  private final HttpClientResponse response;
  private final Context context;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private boolean paused = true;
  private boolean ended;
  private Throwable failure;
  private long chunks;
  private boolean settling;

  BodyStream(HttpClientResponse response, Context context) {
    this.response = response;
    this.context = context;
    response.pause();
    response.handler(this::chunk).endHandler(v -> end()).exceptionHandler(this::failed);
  }

  private void chunk(Buffer data) {
    if (ended) {
      return; // after a failure was given: its consumer has let go
    }
    chunks++;
    Handler<Buffer> h = handler;
    if (h != null) {
      h.handle(data);
    }
  }

  private void end() {
    if (ended) {
      return;
    }
    ended = true;
    Handler<Void> h = endHandler;
    if (h != null) {
      h.handle(null);
    }
  }

  private void failed(Throwable cause) {
    if (ended || failure != null) {
      return;
    }
    failure = cause;
    settle();
  }

  /** Delivers the failure once the body flows and a quiet period brought no chunk and no end. */
  private void settle() {
    if (paused || settling || ended) {
      return;
    }
    settling = true;
    long seen = chunks;
    context.owner().setTimer(QUIET_MILLIS, v -> {
      settling = false;
      if (ended) {
        return;
      }
      if (chunks != seen || paused) {
        settle();
        return;
      }
      ended = true;
      Handler<Throwable> h = exceptionHandler;
      if (h != null) {
        h.handle(failure);
      }
    });
  }

  @Override
  public BodyStream handler(Handler<Buffer> handler) {
    this.handler = handler;
    return this;
  }

  @Override
  public BodyStream endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  @Override
  public BodyStream exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public BodyStream pause() {
    paused = true;
    response.pause();
    return this;
  }

  @Override
  public BodyStream resume() {
    paused = false;
    response.resume();
    if (failure != null) {
      settle();
    }
    return this;
  }

  /** Counted as flowing: nothing here asks for a number of chunks (a pipe pauses and resumes). */
  @Override
  public BodyStream fetch(long amount) {
    if (amount > 0) {
      paused = false;
    }
    response.fetch(amount);
    if (failure != null) {
      settle();
    }
    return this;
  }
}
