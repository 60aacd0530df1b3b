package dev.pixelbus.fetch;

import dev.pixelbus.api.ErrorCode;
import io.vertx.core.http.HttpClientRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The requests of one fetch job in flight, so that a cancel can reset them all: a reset fails the
 * body's pipe, and the download then deletes its part file as for any failure. Requests are made on
 * several event loops, hence the locks.
 */
final class Aborts {
  private final Set<HttpClientRequest> requests = new HashSet<>();
  private boolean cancelled;

  synchronized boolean cancelled() {
    return cancelled;
  }

  /** A request started; reset at once if the job was cancelled meanwhile. */
  void add(HttpClientRequest request) {
    boolean reset;
    synchronized (this) {
      reset = cancelled;
      if (!reset) {
        requests.add(request);
      }
    }
    if (reset) {
      request.reset();
    }
  }

  synchronized void remove(HttpClientRequest request) {
    requests.remove(request);
  }

  void cancel() {
    List<HttpClientRequest> open;
    synchronized (this) {
      cancelled = true;
      open = List.copyOf(requests);
      requests.clear();
    }
    open.forEach(HttpClientRequest::reset);
  }

  static FetchError cancelledError() {
    return FetchError.of(ErrorCode.BUSY, "the fetch job was cancelled");
  }
}
