package dev.pixelbus.fetch;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;

/**
 * Downloads one URL into a folder: follows redirects (refusing loops), retries what may pass on
 * another try, and streams the body through {@code pipeTo} into {@code NAME.part}, renamed to
 * {@code NAME} only when the whole body arrived with a 2xx status and the length it announced.
 * On any failure the part file is deleted. Everything runs on the caller's event loop.
 */
final class Downloader {
  /** Bodies of refused responses up to this size are read to keep the connection; larger ones reset it. */
  private static final long DRAIN_LIMIT = 64 * 1024;

  /** A finished download. */
  record Downloaded(String url, Path file, long bytes, int status, int attempts) {
  }

  private record Redirect(URI location) {
  }

  private final Vertx vertx;
  private final HttpClient plain;
  private final HttpClient tls;
  private final FetchSettings settings;
  private final FileSystem fs;
  private final SplittableRandom random = new SplittableRandom();

  Downloader(Vertx vertx, HttpClient plain, HttpClient tls, FetchSettings settings) {
    this.vertx = vertx;
    this.plain = plain;
    this.tls = tls;
    this.settings = settings;
    this.fs = vertx.fileSystem();
  }

  /** Checks a URL before anything is sent: http or https, with a host. */
  static URI parse(String raw) {
    URI uri;
    try {
      uri = new URI(raw.trim());
    } catch (URISyntaxException e) {
      throw FetchError.of(FetchError.BAD_URL, "not a URL: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw FetchError.of(FetchError.BAD_URL,
          scheme.isEmpty() ? "no scheme: only http and https URLs are fetched" : "scheme " + scheme + ": not fetched, only http and https");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw FetchError.of(FetchError.BAD_URL, "no host in " + raw);
    }
    return uri;
  }

  Future<Downloaded> fetch(String raw, Path dir, Names names, LongConsumer progress) {
    URI uri;
    try {
      uri = parse(raw);
    } catch (FetchError e) {
      return Future.failedFuture(e);
    }
    List<URI> chain = new ArrayList<>();
    chain.add(uri);
    String wanted = FileNames.fromUrl(uri);
    return step(raw, uri, 0, chain, wanted, dir, names, progress);
  }

  private Future<Downloaded> step(String raw, URI uri, int attempt, List<URI> chain, String wanted, Path dir,
                                  Names names, LongConsumer progress) {
    return once(raw, uri, attempt, wanted, dir, names, progress).compose(outcome -> {
      if (outcome instanceof Redirect redirect) {
        URI next = redirect.location();
        if (chain.contains(next)) {
          return Future.failedFuture(FetchError.of(FetchError.BAD_GATEWAY, "redirect loop: " + chainText(chain, next)));
        }
        if (chain.size() > settings.maxRedirects()) {
          return Future.failedFuture(FetchError.of(FetchError.BAD_GATEWAY,
              "more than " + settings.maxRedirects() + " redirects: " + chainText(chain, next)));
        }
        chain.add(next);
        return step(raw, next, attempt, chain, wanted, dir, names, progress);
      }
      return Future.succeededFuture((Downloaded) outcome);
    }, failure -> {
      FetchError error = classify(failure);
      if (!error.retryable()) {
        return Future.failedFuture(error);
      }
      long delay = settings.retry().delayMs(attempt, error.retryAfter(), random, Instant.now());
      if (delay < 0) {
        String why = attempt >= settings.retry().retries()
            ? " (after " + (attempt + 1) + " attempts)" : " (Retry-After " + error.retryAfter() + " is too long)";
        return Future.failedFuture(FetchError.of(error.code(), error.getMessage() + why));
      }
      Promise<Downloaded> later = Promise.promise();
      vertx.setTimer(Math.max(1, delay), id ->
          step(raw, uri, attempt + 1, chain, wanted, dir, names, progress).onComplete(later));
      return later.future();
    });
  }

  /** One request: a Downloaded, a Redirect, or a failure. */
  private Future<Object> once(String raw, URI uri, int attempt, String wanted, Path dir, Names names,
                              LongConsumer progress) {
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setAbsoluteURI(uri.toString())
        .setFollowRedirects(false)
        .setConnectTimeout(settings.connectTimeoutMs())
        .setIdleTimeout(settings.idleTimeoutMs())
        .putHeader(HttpHeaders.USER_AGENT, settings.userAgent());
    HttpClient client = uri.getScheme().equalsIgnoreCase("https") ? tls : plain;
    return client.request(options).compose(request -> request.send()).compose(response -> {
      response.pause();
      // Data waits while paused, but a failure (the server closing early) would be lost before the
      // pipe is attached, after the file is opened: keep it.
      AtomicReference<Throwable> early = new AtomicReference<>();
      response.exceptionHandler(early::set);
      int status = response.statusCode();
      String location = response.getHeader(HttpHeaders.LOCATION);
      if (status >= 300 && status < 400 && status != 304 && location != null) {
        discard(response);
        try {
          return Future.succeededFuture(new Redirect(uri.resolve(location.trim())));
        } catch (IllegalArgumentException e) {
          return Future.failedFuture(FetchError.of(FetchError.BAD_GATEWAY, "bad redirect Location: " + location));
        }
      }
      if (status < 200 || status >= 300) {
        discard(response);
        return Future.failedFuture(new FetchError(status, "HTTP " + status + " " + response.statusMessage(),
            RetryPolicy.retryable(status), response.getHeader("Retry-After")));
      }
      long length = contentLength(response);
      if (length > settings.maxFileBytes()) {
        response.request().reset();
        return Future.failedFuture(FetchError.of(FetchError.TOO_LARGE,
            "Content-Length " + length + " is over the limit of " + settings.maxFileBytes() + " bytes"));
      }
      String name = names.claim(FileNames.withExtension(wanted, response.getHeader(HttpHeaders.CONTENT_TYPE)));
      Future<Long> saved = length >= 0 && length <= settings.smallBodyBytes()
          ? saveSmall(response, early, length, dir, name, names, progress)
          : save(response, early, length, dir, name, names, progress);
      return saved.map(bytes -> (Object) new Downloaded(raw, dir.resolve(name), bytes, status, attempt + 1));
    });
  }

  private Future<Long> save(HttpClientResponse response, AtomicReference<Throwable> early, long length, Path dir,
                            String name, Names names, LongConsumer progress) {
    Path part = dir.resolve(name + Names.PART);
    Path target = dir.resolve(name);
    return fs.open(part.toString(), new OpenOptions().setWrite(true).setCreate(true).setTruncateExisting(true))
        .recover(e -> {
          response.request().reset();
          return Future.failedFuture(FetchError.of(500, "cannot write " + part + ": " + e.getMessage()));
        })
        .compose(file -> {
          LimitedFileStream out = new LimitedFileStream(file, settings.maxFileBytes(), progress);
          if (early.get() != null) {
            return file.close().transform(closed -> discardPart(part, name, names, out, progress, early.get()));
          }
          // The file is closed here, not by the pipe, so that a failure deletes it only once it is closed.
          return response.pipe().endOnFailure(false).to(out).transform(piped -> {
            if (piped.succeeded() && (length < 0 || out.written() == length)) {
              return fs.move(part.toString(), target.toString(),
                      new CopyOptions().setAtomicMove(true).setReplaceExisting(names.overwrite()))
                  .map(v -> out.written())
                  .recover(e -> discardPart(part, name, names, out, progress,
                      FetchError.of(500, "cannot rename to " + target + ": " + e.getMessage())));
            }
            Throwable why = out.overLimit() ? FetchError.of(FetchError.TOO_LARGE,
                "body over the limit of " + settings.maxFileBytes() + " bytes: download stopped")
                : piped.failed() ? piped.cause()
                : new FetchError(FetchError.BAD_GATEWAY, "body ended after " + out.written() + " of " + length + " bytes",
                    true, null);
            if (piped.failed()) {
              response.request().reset();
            }
            return file.close().transform(closed -> discardPart(part, name, names, out, progress, why));
          });
        });
  }

  /**
   * A body whose Content-Length is at most {@code fetch.smallBodyBytes}: read whole, then written,
   * closed and renamed in one blocking step. Streaming it would cost four hops to the blocking pool
   * (open, write, close, rename) for 32 KB; this costs one (measured in the README). Memory stays
   * bounded: at most concurrency × smallBodyBytes.
   */
  private Future<Long> saveSmall(HttpClientResponse response, AtomicReference<Throwable> early, long length, Path dir,
                                 String name, Names names, LongConsumer progress) {
    if (early.get() != null) {
      names.release(name);
      return Future.failedFuture(early.get());
    }
    Path part = dir.resolve(name + Names.PART);
    Path target = dir.resolve(name);
    Future<io.vertx.core.buffer.Buffer> whole = response.body();
    response.resume(); // body() collects, but leaves a paused response paused
    return whole.compose(body -> {
      if (body.length() != length) {
        return Future.failedFuture(new FetchError(FetchError.BAD_GATEWAY,
            "body ended after " + body.length() + " of " + length + " bytes", true, null));
      }
      return vertx.executeBlocking(() -> {
        try {
          Files.write(part, body.getBytes());
          if (names.overwrite()) {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          } else {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
          }
          return (long) body.length();
        } catch (IOException e) {
          Files.deleteIfExists(part);
          throw FetchError.of(500, "cannot write " + target + ": " + e);
        }
      }, false);
    }).onSuccess(progress::accept).onFailure(e -> names.release(name));
  }

  private Future<Long> discardPart(Path part, String name, Names names, LimitedFileStream out, LongConsumer progress,
                                   Throwable why) {
    progress.accept(-out.written());
    return fs.delete(part.toString()).transform(deleted -> {
      names.release(name);
      return Future.failedFuture(why);
    });
  }

  private static void discard(HttpClientResponse response) {
    long length = contentLength(response);
    if (length >= 0 && length <= DRAIN_LIMIT) {
      response.handler(b -> { });
      response.resume();
    } else {
      response.request().reset();
    }
  }

  private static long contentLength(HttpClientResponse response) {
    String value = response.getHeader(HttpHeaders.CONTENT_LENGTH);
    try {
      return value == null ? -1 : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** A failure as the user should read it, with whether another attempt may help. */
  static FetchError classify(Throwable failure) {
    if (failure instanceof FetchError error) {
      return error;
    }
    String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    if (message.contains("Connection was closed")) {
      return new FetchError(FetchError.BAD_GATEWAY, "the server closed the connection before the whole response arrived",
          true, null);
    }
    if (failure instanceof ConnectException) {
      return new FetchError(FetchError.BAD_GATEWAY, "cannot connect: " + message, true, null);
    }
    if (failure instanceof UnknownHostException) {
      return FetchError.of(FetchError.BAD_GATEWAY, "unknown host: " + message);
    }
    if (failure instanceof SSLException || message.contains("SSLHandshake") || message.contains("PKIX")) {
      return FetchError.of(FetchError.BAD_GATEWAY, "TLS: " + message + " (--insecure skips the certificate check)");
    }
    if (failure instanceof TimeoutException || message.toLowerCase(Locale.ROOT).contains("timeout")
        || message.toLowerCase(Locale.ROOT).contains("timed out")) {
      return new FetchError(FetchError.TIMEOUT, "timed out: " + message, true, null);
    }
    return new FetchError(FetchError.BAD_GATEWAY, "connection failed: " + message, true, null);
  }

  private static String chainText(List<URI> chain, URI next) {
    return chain.stream().map(URI::toString).collect(Collectors.joining(" -> ")) + " -> " + next;
  }
}
