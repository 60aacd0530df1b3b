package dev.pixelbus.fetch;

import io.vertx.core.Future;
import io.vertx.core.http.RequestOptions;

/**
 * One way of keeping a download's body: a strategy. {@link Downloader} does what every strategy shares
 * (the request, the guard, the caller's headers, redirects, retries, cancel) and hands each response
 * that is not a redirect to the download's sink, one instance per download (it may hold what a previous
 * run left on disk). The file strategies are {@link SmallBody}, {@link StreamedBody} (chosen per response
 * by {@link FileTarget#newFile}), {@link ResumableBody} and {@link ConditionalBody}; each gives a
 * {@link Saved}. A strategy that keeps a body in memory would give a {@code Buffer} the same way.
 *
 * @param <T> what a kept body becomes
 */
interface BodySink<T> {

  /** Adds this strategy's headers to a request: a resume's Range, a revalidation's If-None-Match. None by default. */
  default void addHeaders(RequestOptions request) {
  }

  /**
   * Whether this strategy reads a response of {@code status}: 2xx by default, and what its own headers
   * may bring (a 304, a 416). Any other status fails the attempt with it (retried when it is a 5xx or 429).
   */
  default boolean takes(int status) {
    return status >= 200 && status < 300;
  }

  /**
   * Called on the event loop with a response it takes, its body still paused: the body kept
   * ({@link Outcome.Done}), the URL to ask again ({@link Outcome.Restart}), or why not (the connection
   * reset if the body was not read to its end).
   */
  Future<Outcome<T>> save(Response response);
}
