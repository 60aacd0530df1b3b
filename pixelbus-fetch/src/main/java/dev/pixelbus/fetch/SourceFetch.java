package dev.pixelbus.fetch;

import dev.pixelbus.api.Addresses;
import dev.pixelbus.api.ErrorCode;
import dev.pixelbus.api.LocalJsonCodec;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.common.Params;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.net.URI;

/**
 * {@code pixelbus.fetch.source}: one URL into memory, for the image server ({@code GET /v1/images/OP?url=}).
 * Through the request-forgery guard, one try, within a deadline, at most {@code maxBytes}; conditional
 * when the caller has a copy. Its failures are already in the image server's terms: the source's 404 (or
 * 410) is 404, any other status of the source 502, a refused or broken connection 502, the deadline 504,
 * a body over the limit 413, the guard 403; each message names the source.
 */
final class SourceFetch {
  /** The longest a source may take when the request does not say. */
  static final long DEFAULT_TIMEOUT_MS = 20_000;

  private final Vertx vertx;
  private final Downloader downloader;

  SourceFetch(Vertx vertx, Downloader downloader) {
    this.vertx = vertx;
    this.downloader = downloader;
  }

  /** A parsed request. */
  record Request(URI uri, String url, long maxBytes, String ifNoneMatch, String ifModifiedSince, long timeoutMs) {
    static Request parse(JsonObject body) {
      Params p = new Params(body, Addresses.FETCH_SOURCE);
      String url = p.string("url", null);
      if (url == null) {
        throw PixelbusException.badRequest("url is missing");
      }
      long maxBytes = p.longInteger("maxBytes", 0);
      if (maxBytes <= 0) {
        throw PixelbusException.badRequest("maxBytes must be positive");
      }
      String ifNoneMatch = p.string("ifNoneMatch", null);
      String ifModifiedSince = p.string("ifModifiedSince", null);
      long timeoutMs = p.longInteger("timeoutMs", DEFAULT_TIMEOUT_MS);
      if (timeoutMs <= 0) {
        throw PixelbusException.badRequest("timeoutMs must be positive");
      }
      p.rejectUnknown();
      return new Request(Urls.parse(url), url, maxBytes, ifNoneMatch, ifModifiedSince, timeoutMs);
    }
  }

  void handle(Message<JsonObject> message) {
    Request r;
    try {
      r = Request.parse(message.body());
    } catch (PixelbusException e) {
      message.fail(e.failureCode(), e.getMessage());
      return;
    }
    long start = System.nanoTime();
    Aborts aborts = new Aborts();
    Deadline deadline = new Deadline();
    long timer = vertx.setTimer(r.timeoutMs(), id -> {
      deadline.passed = true;
      aborts.cancel(); // the request is reset: nothing more is read
    });
    fetch(r, aborts, true).onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        message.reply(ar.result().body().toJson((System.nanoTime() - start) / 1_000_000), LocalJsonCodec.replyOptions(message));
        return;
      }
      FetchError e = deadline.passed ? FetchError.of(ErrorCode.GATEWAY_TIMEOUT, "did not answer within " + r.timeoutMs()
          + " ms") : forTheImageServer(FetchError.classify(ar.cause()));
      message.fail(e.failureCode(), "source " + r.url() + ": " + e.getMessage());
    });
  }

  /**
   * One try, but for a connection the source closed under the request: a kept-alive connection the source
   * let go at the moment it was reused (an idle timeout, a server that closes after each answer). A GET is
   * safe to send again, once, at once, as browsers and Go's client do; any other failure is the answer.
   */
  private Future<Downloader.Fetched<SourceBody>> fetch(Request r, Aborts aborts, boolean again) {
    MemoryBody sink = new MemoryBody(r.maxBytes(), r.ifNoneMatch(), r.ifModifiedSince());
    return downloader.download(r.uri(), FetchItem.of(r.url()), aborts, Future.succeededFuture(sink))
        .recover(e -> again && !aborts.cancelled() && FetchError.classify(e).connectionClosed()
            ? fetch(r, aborts, false) : Future.failedFuture(e));
  }

  /** Whether the deadline passed: then the failure that follows is the deadline's. */
  private static final class Deadline {
    boolean passed;
  }

  /** A fetch failure in the image server's codes: the source's own status is not passed on but for 404. */
  static FetchError forTheImageServer(FetchError e) {
    if (!e.remoteStatus()) {
      return e;
    }
    int status = e.failureCode();
    return status == 404 || status == 410 ? FetchError.of(ErrorCode.NOT_FOUND, "answered " + e.getMessage())
        : FetchError.of(ErrorCode.BAD_GATEWAY, "answered " + e.getMessage());
  }
}
