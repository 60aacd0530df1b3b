package dev.pixelbus.fetch;

import io.vertx.core.Future;
import java.net.URI;

/**
 * What one request of a download came to: the body kept, a redirect to follow, or the same URL to ask
 * again. Each says itself how the download goes on ({@link #then}), so the download loop needs no test
 * of types.
 *
 * @param <T> what a kept body is: {@link Saved} for the file strategies
 */
sealed interface Outcome<T> permits Outcome.Done, Outcome.Redirect, Outcome.Restart {

  /** The ways a download goes on after a request that did not end it. */
  interface Next<T> {
    /** Asks {@code location} next (checked first: scheme, loop, count). */
    Future<T> redirect(URI location);

    /** Asks the same URL again, as the same attempt. */
    Future<T> again();
  }

  Future<T> then(Next<T> download);

  static <T> Outcome<T> done(T value) {
    return new Done<>(value);
  }

  /** The body is kept: the download ends with {@code value}. */
  record Done<T>(T value) implements Outcome<T> {
    @Override
    public Future<T> then(Next<T> download) {
      return Future.succeededFuture(value);
    }
  }

  /** A 3xx with a Location: its body was read or the connection reset, and the download goes there. */
  record Redirect<T>(URI location) implements Outcome<T> {
    @Override
    public Future<T> then(Next<T> download) {
      return download.redirect(location);
    }
  }

  /** A resumed part that cannot be continued (the server answered another range): forgotten, and asked again whole. */
  record Restart<T>() implements Outcome<T> {
    @Override
    public Future<T> then(Next<T> download) {
      return download.again();
    }
  }
}
