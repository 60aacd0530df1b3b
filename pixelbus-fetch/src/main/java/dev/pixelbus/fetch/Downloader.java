package dev.pixelbus.fetch;

import dev.pixelbus.api.ErrorCode;
import dev.pixelbus.fetch.guard.AddressGuard;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;

/**
 * Downloads one URL: sends the request (to the address the request-forgery guard checked, when there is
 * one) with the caller's headers, follows redirects ({@link RedirectChain}), retries what may pass on
 * another try ({@link RetryPolicy}), and hands every other response to the download's strategy, a
 * {@link BodySink}, which keeps its body: {@link SmallBody} or {@link StreamedBody} for a new file,
 * {@link ResumableBody} with {@code continue}, {@link ConditionalBody} with {@code ifModified}. Each
 * request comes to a typed {@link Outcome}. Everything runs on the caller's event loop.
 */
final class Downloader {
  /** A finished download. */
  record Downloaded(String url, Path file, long bytes, int status, int attempts) {
  }

  /**
   * What one job's downloads share: its folder and names, its byte counter, its requests in flight
   * (which a cancel resets), its rate limit (or null) and its options.
   */
  record Run(Path dir, Names names, LongConsumer progress, Aborts aborts, Throttle throttle, JobOptions options) {
  }

  /** A body kept by any strategy, and the attempts it took (redirects are not attempts). */
  record Fetched<T>(T body, int attempts) {
  }

  private final Vertx vertx;
  private final HttpClient plain;
  private final HttpClient tls;
  private final FetchSettings settings;
  private final PartFiles parts;
  /** The request-forgery guard, or null when this process fetches with its user's rights (the command line). */
  private final AddressGuard guard;
  private final SplittableRandom random = new SplittableRandom();

  Downloader(Vertx vertx, HttpClient plain, HttpClient tls, FetchSettings settings, AddressGuard guard) {
    this.vertx = vertx;
    this.guard = guard;
    this.plain = plain;
    this.tls = tls;
    this.settings = settings;
    this.parts = new PartFiles(vertx);
  }

  /** Deletes the part files being written now (the process is being stopped); see {@link PartFiles#deleteInFlight}. */
  int deletePartsInFlight() {
    return parts.deleteInFlight();
  }

  /** One URL of a job into its folder, by the strategy the job's options ask for. */
  Future<Downloaded> fetch(FetchItem item, Run run) {
    URI uri;
    try {
      uri = Urls.parse(item.url());
    } catch (FetchError e) {
      return Future.failedFuture(e);
    }
    String wanted = item.out() != null ? item.out() : FileNames.fromUrl(uri);
    FileTarget to = new FileTarget(vertx, parts, settings, run, item, wanted);
    return download(uri, item, run.aborts(), sinkFor(to))
        .map(f -> new Downloaded(item.url(), f.body().file(), f.body().bytes(), f.body().status(), f.attempts()));
  }

  /** Resume and conditional fetch first read what a previous run left (off the loop); a new file needs nothing. */
  private static Future<BodySink<Saved>> sinkFor(FileTarget to) {
    JobOptions options = to.run().options();
    if (options.resume()) {
      return ResumableBody.open(to);
    }
    return options.ifModified() ? ConditionalBody.open(to) : Future.succeededFuture(to.newFile());
  }

  /**
   * One URL by any strategy: what all of them share happens here, and {@code sink} makes a response's
   * body into a {@code T}. The file strategies come through {@link #fetch}; a strategy that keeps a body
   * in memory would be passed here directly.
   */
  <T> Future<Fetched<T>> download(URI uri, FetchItem item, Aborts aborts, Future<BodySink<T>> sink) {
    return sink.compose(s -> {
      Download<T> download = new Download<>(item, uri, aborts, s);
      return download.step(uri, 0).map(body -> new Fetched<>(body, download.attempt + 1));
    });
  }

  /** One URL's requests: what every attempt and redirect of it shares. */
  private final class Download<T> implements Outcome.Next<T> {
    private final FetchItem item;
    private final RedirectChain chain;
    private final Aborts aborts;
    private final BodySink<T> sink;
    /** The URL asked now, and the attempt at it (from 0): a redirect keeps the count, a retry adds one. */
    private URI uri;
    private int attempt;

    Download(FetchItem item, URI uri, Aborts aborts, BodySink<T> sink) {
      this.item = item;
      this.chain = new RedirectChain(uri, settings.maxRedirects());
      this.aborts = aborts;
      this.sink = sink;
    }

    Future<T> step(URI uri, int attempt) {
      if (aborts.cancelled()) {
        return Future.failedFuture(Aborts.cancelledError());
      }
      this.uri = uri;
      this.attempt = attempt;
      return once(uri).compose(outcome -> outcome.then(this),
          failure -> retry(uri, attempt, FetchError.classify(failure)));
    }

    @Override
    public Future<T> redirect(URI next) {
      try {
        chain.follow(next);
      } catch (FetchError e) {
        return Future.failedFuture(e);
      }
      return step(next, attempt);
    }

    @Override
    public Future<T> again() {
      return step(uri, attempt);
    }

    private Future<T> retry(URI uri, int attempt, FetchError error) {
      if (aborts.cancelled()) {
        return Future.failedFuture(Aborts.cancelledError());
      }
      if (!error.retryable()) {
        return Future.failedFuture(error);
      }
      long delay = settings.retry().delayMs(attempt, error.retryAfter(), random, Instant.now());
      if (delay < 0) {
        String why = attempt >= settings.retry().retries()
            ? " (after " + (attempt + 1) + " attempts)" : " (Retry-After " + error.retryAfter() + " is too long)";
        return Future.failedFuture(error.withMessage(error.getMessage() + why));
      }
      Promise<T> later = Promise.promise();
      vertx.setTimer(Math.max(1, delay), id -> step(uri, attempt + 1).onComplete(later));
      return later.future();
    }

    /** One request: what its response came to, or a failure. */
    private Future<Outcome<T>> once(URI uri) {
      RequestOptions options = new RequestOptions()
          .setMethod(HttpMethod.GET)
          .setAbsoluteURI(uri.toString())
          .setFollowRedirects(false)
          // No request-level connect timeout: Vert.x counts the wait for a free pooled connection in it, so a
          // busy pool (two jobs to one host) would fail downloads that only waited their turn. The client's
          // own connect timeout bounds the TCP connect.
          .setIdleTimeout(settings.idleTimeoutMs())
          .putHeader(HttpHeaders.USER_AGENT, settings.userAgent());
      sink.addHeaders(options);
      chain.headersFor(uri, item.headers()).forEach(options::putHeader);
      HttpClient client = uri.getScheme().equalsIgnoreCase("https") ? tls : plain;
      // Guarded, the request connects to the address the guard checked, not to a second lookup's answer.
      Future<SocketAddress> target = guard == null ? Future.succeededFuture(null) : guard.target(uri);
      return target
          .recover(e -> Future.failedFuture(e instanceof AddressGuard.Refused ? FetchError.refused(e.getMessage()) : e))
          .compose(server -> client.request(server == null ? options : options.setServer(server)))
          .compose(request -> {
            aborts.add(request); // until its body is saved or given up: a cancel resets it
            return request.send().compose(response -> answer(uri, new Response(response, vertx.getOrCreateContext())))
                .onComplete(done -> aborts.remove(request));
          });
    }

    /** A redirect is followed; a status the strategy does not take fails the attempt; the strategy keeps the rest. */
    private Future<Outcome<T>> answer(URI uri, Response response) {
      int status = response.status();
      String location = response.header(HttpHeaders.LOCATION);
      if (status >= 300 && status < 400 && status != 304 && location != null) {
        response.drain();
        try {
          return Future.succeededFuture(new Outcome.Redirect<>(Urls.resolve(uri, location.trim())));
        } catch (IllegalArgumentException e) {
          return Future.failedFuture(FetchError.of(ErrorCode.BAD_GATEWAY, "bad redirect Location: " + location));
        }
      }
      if (!sink.takes(status)) {
        response.drain();
        return Future.failedFuture(FetchError.remote(status, "HTTP " + status + " " + response.statusMessage(),
            RetryPolicy.retryable(status), response.header("Retry-After")));
      }
      return sink.save(response);
    }
  }
}
