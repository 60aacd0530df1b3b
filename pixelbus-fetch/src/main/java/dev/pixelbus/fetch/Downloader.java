package dev.pixelbus.fetch;

import dev.pixelbus.api.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

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

  /** What a body became: its file's final name (a suffix may have been added at the last moment) and its size. */
  private record Saved(String name, long bytes) {
  }

  private record Opened(String name, AsyncFile file) {
  }

  /** Names tried for one file when others turn out to exist (other jobs or programs writing the same folder). */
  private static final int MAX_NAME_TRIES = 100;

  private final Vertx vertx;
  private final HttpClient plain;
  private final HttpClient tls;
  private final FetchSettings settings;
  private final FileSystem fs;
  private final SplittableRandom random = new SplittableRandom();
  /** Part files being written now, for {@link #deletePartsInFlight} when the process is stopped mid-job. */
  private final Set<Path> partsInFlight = ConcurrentHashMap.newKeySet();
  /** Set when the process is being stopped: no new part file is started after the sweep. */
  private volatile boolean stopping;

  Downloader(Vertx vertx, HttpClient plain, HttpClient tls, FetchSettings settings) {
    this.vertx = vertx;
    this.plain = plain;
    this.tls = tls;
    this.settings = settings;
    this.fs = vertx.fileSystem();
  }

  /**
   * Deletes the part files being written now: the process is being stopped (Ctrl+C) and their
   * downloads will not finish. Blocking; for a shutdown hook.
   *
   * @return how many were deleted
   */
  int deletePartsInFlight() {
    stopping = true;
    int n = 0;
    for (Path part : partsInFlight) {
      try {
        if (Files.deleteIfExists(part)) {
          n++;
        }
      } catch (IOException ignored) {
        // the process is ending; nothing else to try
      }
    }
    return n;
  }

  Future<Downloaded> fetch(String raw, Path dir, Names names, LongConsumer progress) {
    URI uri;
    try {
      uri = Urls.parse(raw);
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
        try {
          Urls.parse(next.toString());
        } catch (FetchError e) {
          return Future.failedFuture(FetchError.of(ErrorCode.BAD_REQUEST, "redirect to " + next + ": " + e.getMessage()));
        }
        if (chain.contains(next)) {
          return Future.failedFuture(FetchError.of(ErrorCode.BAD_GATEWAY, "redirect loop: " + chainText(chain, next)));
        }
        if (chain.size() > settings.maxRedirects()) {
          return Future.failedFuture(FetchError.of(ErrorCode.BAD_GATEWAY,
              "more than " + settings.maxRedirects() + " redirects: " + chainText(chain, next)));
        }
        chain.add(next);
        return step(raw, next, attempt, chain, wanted, dir, names, progress);
      }
      return Future.succeededFuture((Downloaded) outcome);
    }, failure -> {
      FetchError error = FetchError.classify(failure);
      if (!error.retryable()) {
        return Future.failedFuture(error);
      }
      long delay = settings.retry().delayMs(attempt, error.retryAfter(), random, Instant.now());
      if (delay < 0) {
        String why = attempt >= settings.retry().retries()
            ? " (after " + (attempt + 1) + " attempts)" : " (Retry-After " + error.retryAfter() + " is too long)";
        return Future.failedFuture(FetchError.of(error.failureCode(), error.getMessage() + why));
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
        // No request-level connect timeout: Vert.x counts the wait for a free pooled connection in it, so a
        // busy pool (two jobs to one host) would fail downloads that only waited their turn. The client's
        // own connect timeout bounds the TCP connect.
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
          return Future.succeededFuture(new Redirect(Urls.resolve(uri, location.trim())));
        } catch (IllegalArgumentException e) {
          return Future.failedFuture(FetchError.of(ErrorCode.BAD_GATEWAY, "bad redirect Location: " + location));
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
        return Future.failedFuture(FetchError.of(ErrorCode.TOO_LARGE,
            "Content-Length " + length + " is over the limit of " + settings.maxFileBytes() + " bytes"));
      }
      String base = FileNames.withExtension(wanted, response.getHeader(HttpHeaders.CONTENT_TYPE));
      String name = names.claim(base);
      Future<Saved> saved = length >= 0 && length <= settings.smallBodyBytes()
          ? saveSmall(response, early, length, dir, base, name, names, progress)
          : save(response, early, length, dir, base, name, names, progress);
      return saved.map(s -> (Object) new Downloaded(raw, dir.resolve(s.name()), s.bytes(), status, attempt + 1));
    });
  }

  private Future<Saved> save(HttpClientResponse response, AtomicReference<Throwable> early, long length, Path dir,
                             String base, String name, Names names, LongConsumer progress) {
    return openPart(dir, base, name, names, 0)
        .recover(e -> {
          response.request().reset();
          return Future.failedFuture(e);
        })
        .compose(opened -> {
          String n = opened.name();
          AsyncFile file = opened.file();
          Path part = dir.resolve(n + Names.PART);
          partsInFlight.add(part);
          LimitedFileStream out = new LimitedFileStream(file, settings.maxFileBytes(), progress);
          if (early.get() != null) {
            return file.close().transform(closed -> discardPart(part, n, names, out, progress, early.get()));
          }
          // The file is closed here, never by the pipe, so that it is closed once on every path, and only then
          // named or deleted.
          return response.pipe().endOnSuccess(false).endOnFailure(false).to(out).transform(piped -> {
            if (piped.failed()) {
              response.request().reset(); // before the close: no more of its body may reach the file
            }
            return file.close().transform(closed -> {
                Throwable why = bodyFailure(piped, closed, out, length, part);
                if (why == null) {
                  return vertx.executeBlocking(() -> {
                        try {
                          checkOnDisk(part, out.written());
                          return publish(dir, part, base, n, names);
                        } finally {
                          partsInFlight.remove(part);
                        }
                      }, false)
                      .map(finalName -> new Saved(finalName, out.written()))
                      .recover(e -> discardPart(part, n, names, out, progress, e));
                }
                return discardPart(part, n, names, out, progress, why);
              });
          });
        });
  }

  /** Why a streamed body must not be kept, or null when it may be. */
  private Throwable bodyFailure(io.vertx.core.AsyncResult<Void> piped, io.vertx.core.AsyncResult<Void> closed,
                                LimitedFileStream out, long length, Path part) {
    if (out.overLimit()) {
      return FetchError.of(ErrorCode.TOO_LARGE, "body over the limit of " + settings.maxFileBytes() + " bytes: download stopped");
    }
    if (piped.failed()) {
      return piped.cause();
    }
    if (closed.failed()) {
      return FetchError.of(ErrorCode.INTERNAL, "cannot write " + part + ": " + closed.cause().getMessage());
    }
    if (length >= 0 && out.written() != length) {
      return new FetchError(ErrorCode.BAD_GATEWAY, "body ended after " + out.written() + " of " + length + " bytes",
          true, null);
    }
    return null;
  }

  /**
   * Opens {@code NAME.part}. Unless overwriting, only a new file will do: a part file that exists
   * belongs to another job or program writing the same folder, and this download takes the next name.
   */
  private Future<Opened> openPart(Path dir, String base, String name, Names names, int tries) {
    Path part = dir.resolve(name + Names.PART);
    if (stopping) {
      names.release(name);
      return Future.failedFuture(FetchError.of(ErrorCode.BUSY, "stopping: " + part + " not started"));
    }
    OpenOptions options = names.overwrite() ? new OpenOptions().setWrite(true).setCreate(true).setTruncateExisting(true)
        : new OpenOptions().setWrite(true).setCreateNew(true);
    return fs.open(part.toString(), options)
        .map(file -> new Opened(name, file))
        .recover(e -> {
          if (alreadyExists(e) && tries < MAX_NAME_TRIES) {
            return openPart(dir, base, names.retake(base, name), names, tries + 1);
          }
          names.release(name);
          return Future.failedFuture(FetchError.of(ErrorCode.INTERNAL, "cannot write " + part + ": " + e.getMessage()));
        });
  }

  private static boolean alreadyExists(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof FileAlreadyExistsException) {
        return true;
      }
    }
    return false;
  }

  /**
   * Blocking: gives a complete part file its final name. Unless overwriting, it never replaces a
   * file, even one made since the job listed the folder: a hard link fails if the name exists (no
   * window in which another file could be replaced), and the next suffix is tried. Where the file
   * system has no hard links, a move that refuses an existing name does it, with a short window.
   *
   * @return the final name
   */
  private static String publish(Path dir, Path part, String base, String name, Names names) throws IOException {
    if (names.overwrite()) {
      Files.move(part, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return name;
    }
    String current = name;
    for (int tries = 0; ; tries++) {
      Path target = dir.resolve(current);
      try {
        Files.createLink(target, part);
      } catch (FileAlreadyExistsException e) {
        current = nextName(names, base, current, tries, part);
        continue;
      } catch (UnsupportedOperationException | FileSystemException e) {
        Files.move(part, target);
        return current;
      }
      try {
        Files.delete(part);
      } catch (IOException e) {
        // the file is whole under its name; a part file left beside it is only untidy
      }
      return current;
    }
  }

  /**
   * A body whose Content-Length is at most {@code fetch.smallBodyBytes}: read whole, then written,
   * closed and renamed in one blocking step. Streaming it would cost four hops to the blocking pool
   * (open, write, close, rename) for 32 KB; this costs one (measured in the README). Memory stays
   * bounded: at most concurrency × smallBodyBytes.
   */
  private Future<Saved> saveSmall(HttpClientResponse response, AtomicReference<Throwable> early, long length, Path dir,
                                  String base, String name, Names names, LongConsumer progress) {
    if (early.get() != null) {
      names.release(name);
      return Future.failedFuture(early.get());
    }
    Future<Buffer> whole = response.body();
    response.resume(); // body() collects, but leaves a paused response paused
    return whole.compose(body -> {
      if (body.length() != length) {
        return Future.failedFuture(new FetchError(ErrorCode.BAD_GATEWAY,
            "body ended after " + body.length() + " of " + length + " bytes", true, null));
      }
      return vertx.executeBlocking(() -> new Saved(writeSmall(dir, base, name, names, body.getBytes()), body.length()), false);
    }).onSuccess(saved -> progress.accept(saved.bytes())).onFailure(e -> names.release(name));
  }

  /**
   * Blocking: the streamed file holds every byte that was handed to it. A failed write (a full disk)
   * shows here whenever it came back, even after the pipe had finished.
   */
  private static void checkOnDisk(Path part, long written) throws IOException {
    long size = Files.size(part);
    if (size != written) {
      throw FetchError.of(ErrorCode.INTERNAL, "cannot write " + part + ": " + size + " of " + written + " bytes on disk");
    }
  }

  /** Blocking: writes a whole body to a new part file (the next name if that exists), then publishes it. */
  private String writeSmall(Path dir, String base, String name, Names names, byte[] body) throws IOException {
    String current = name;
    for (int tries = 0; ; tries++) {
      Path part = dir.resolve(current + Names.PART);
      if (stopping) {
        throw FetchError.of(ErrorCode.BUSY, "stopping: " + part + " not started");
      }
      boolean taken = false;
      partsInFlight.add(part);
      try {
        try {
          if (names.overwrite()) {
            Files.write(part, body);
          } else {
            Files.write(part, body, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
          }
        } catch (FileAlreadyExistsException e) {
          taken = true; // another writer's part file: left alone, and the next name tried
        }
        if (!taken) {
          return publish(dir, part, base, current, names);
        }
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(part);
        throw e instanceof FetchError f ? f : FetchError.of(ErrorCode.INTERNAL, "cannot write " + dir.resolve(current) + ": " + e);
      } finally {
        partsInFlight.remove(part);
      }
      current = nextName(names, base, current, tries, part);
    }
  }

  /** The next name for {@code base} once {@code taken} proved to exist; past {@link #MAX_NAME_TRIES}, a failure. */
  private static String nextName(Names names, String base, String taken, int tries, Path part) {
    if (tries >= MAX_NAME_TRIES) {
      throw FetchError.of(ErrorCode.INTERNAL, "cannot name " + part + ": " + MAX_NAME_TRIES + " names taken");
    }
    return names.retake(base, taken);
  }

  private <T> Future<T> discardPart(Path part, String name, Names names, LimitedFileStream out, LongConsumer progress,
                                   Throwable why) {
    progress.accept(-out.written());
    return fs.delete(part.toString()).transform(deleted -> {
      partsInFlight.remove(part);
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


  private static String chainText(List<URI> chain, URI next) {
    return chain.stream().map(URI::toString).collect(Collectors.joining(" -> ")) + " -> " + next;
  }
}
