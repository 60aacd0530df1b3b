package dev.pixelbus.fetch;

import dev.pixelbus.api.ErrorCode;
import dev.pixelbus.fetch.guard.AddressGuard;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

/**
 * Downloads one URL into a folder: follows redirects (refusing loops), retries what may pass on
 * another try, and streams the body through {@code pipeTo} into a part file ({@link PartFiles}),
 * given its final name only when the whole body arrived with a 2xx status and the length it
 * announced. On any failure the part file is deleted. Everything runs on the caller's event loop.
 */
final class Downloader {
  /** Bodies of refused responses up to this size are read to keep the connection; larger ones reset it. */
  private static final long DRAIN_LIMIT = 64 * 1024;
  private static final java.util.Set<String> CREDENTIALS = java.util.Set.of("authorization", "cookie", "proxy-authorization");

  /** A finished download. */
  record Downloaded(String url, Path file, long bytes, int status, int attempts) {
  }

  private record Redirect(URI location) {
  }

  /** A resumed download whose part cannot be continued (the server answered another range): again, from the start. */
  private record Restart() {
  }

  /** What a body became: its file's final name (a suffix may have been added at the last moment) and its size. */
  private record Saved(String name, long bytes) {
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

  /**
   * What one job's downloads share: its folder and names, its byte counter, its requests in flight
   * (which a cancel resets), its rate limit (or null) and its options.
   */
  record Run(Path dir, Names names, LongConsumer progress, Aborts aborts, Throttle throttle, JobOptions options) {
  }

  Future<Downloaded> fetch(FetchItem item, Run run) {
    URI uri;
    try {
      uri = Urls.parse(item.url());
    } catch (FetchError e) {
      return Future.failedFuture(e);
    }
    Download download = new Download(item, uri, run);
    JobOptions o = run.options();
    if (!o.resume() && !o.ifModified()) {
      return download.step(uri, 0);
    }
    // What a previous run left: a part to resume, or a file to revalidate (a stat and a small read, off the loop).
    String name = o.resume() ? run.names().claim(download.wanted) : download.wanted;
    return vertx.executeBlocking(() -> OnDisk.read(run.dir(), name, o.resume(), o.ifModified()), false)
        .compose(disk -> {
          download.name = name;
          download.disk = disk;
          return download.step(uri, 0);
        }, e -> {
          if (o.resume()) {
            run.names().release(name);
          }
          return Future.failedFuture(FetchError.of(ErrorCode.INTERNAL, "cannot read " + run.dir().resolve(name) + ": " + e));
        });
  }

  /** One URL's download: what every attempt and redirect of it shares. */
  private final class Download {
    final String raw;
    final FetchItem item;
    final List<URI> chain = new ArrayList<>();
    /** The file name the URL (or the caller's {@code out}) asks for, before the response's type may add an extension. */
    final String wanted;
    final Run run;
    final Path dir;
    final Names names;
    final LongConsumer progress;
    final Aborts aborts;
    /** With continue or ifModified: the name chosen before the request, and what the disk held under it. */
    String name;
    OnDisk disk = OnDisk.NOTHING;
    /** A resumed part turned out unusable: the next attempt asks for the whole body. */
    boolean fresh;

    Download(FetchItem item, URI uri, Run run) {
      this.raw = item.url();
      this.item = item;
      this.chain.add(uri);
      this.wanted = item.out() != null ? item.out() : FileNames.fromUrl(uri);
      this.run = run;
      this.dir = run.dir();
      this.names = run.names();
      this.progress = run.progress();
      this.aborts = run.aborts();
    }

    Future<Downloaded> step(URI uri, int attempt) {
      if (aborts.cancelled()) {
        return Future.failedFuture(Aborts.cancelledError());
      }
      return once(uri, attempt).compose(outcome -> {
        if (outcome instanceof Redirect redirect) {
          return redirect(redirect.location(), attempt);
        }
        if (outcome instanceof Restart) {
          return step(uri, attempt);
        }
        return Future.succeededFuture((Downloaded) outcome);
      }, failure -> retry(uri, attempt, FetchError.classify(failure)));
    }

    private Future<Downloaded> redirect(URI next, int attempt) {
      try {
        Urls.parse(next.toString());
      } catch (FetchError e) {
        return Future.failedFuture(FetchError.of(ErrorCode.BAD_REQUEST, "redirect to " + next + ": " + e.getMessage()));
      }
      if (chain.contains(next)) {
        return Future.failedFuture(FetchError.of(ErrorCode.BAD_GATEWAY, "redirect loop: " + chainText(next)));
      }
      if (chain.size() > settings.maxRedirects()) {
        return Future.failedFuture(FetchError.of(ErrorCode.BAD_GATEWAY,
            "more than " + settings.maxRedirects() + " redirects: " + chainText(next)));
      }
      chain.add(next);
      return step(next, attempt);
    }

    private Future<Downloaded> retry(URI uri, int attempt, FetchError error) {
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
        return Future.failedFuture(FetchError.of(error.failureCode(), error.getMessage() + why));
      }
      Promise<Downloaded> later = Promise.promise();
      vertx.setTimer(Math.max(1, delay), id -> step(uri, attempt + 1).onComplete(later));
      return later.future();
    }

    /** One request: a Downloaded, a Redirect, or a failure. */
    private Future<Object> once(URI uri, int attempt) {
      RequestOptions options = new RequestOptions()
          .setMethod(HttpMethod.GET)
          .setAbsoluteURI(uri.toString())
          .setFollowRedirects(false)
          // No request-level connect timeout: Vert.x counts the wait for a free pooled connection in it, so a
          // busy pool (two jobs to one host) would fail downloads that only waited their turn. The client's
          // own connect timeout bounds the TCP connect.
          .setIdleTimeout(settings.idleTimeoutMs())
          .putHeader(HttpHeaders.USER_AGENT, settings.userAgent());
      if (disk.resumable() && !fresh) {
        options.putHeader("Range", "bytes=" + disk.partBytes() + "-").putHeader("If-Range", disk.validator());
      }
      if (disk.fileModified() != null) {
        options.putHeader(HttpHeaders.IF_MODIFIED_SINCE, OnDisk.httpDate(disk.fileModified()));
        if (disk.fileEtag() != null) {
          options.putHeader(HttpHeaders.IF_NONE_MATCH, disk.fileEtag());
        }
      }
      boolean sameHost = uri.getHost().equalsIgnoreCase(chain.get(0).getHost());
      item.headers().forEach((name, value) -> {
        // As curl: credentials go only to the host they were given for, not to where a redirect leads.
        if (sameHost || !CREDENTIALS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
          options.putHeader(name, value);
        }
      });
      HttpClient client = uri.getScheme().equalsIgnoreCase("https") ? tls : plain;
      // Guarded, the request connects to the address the guard checked, not to a second lookup's answer.
      Future<SocketAddress> target = guard == null ? Future.succeededFuture(null) : guard.target(uri);
      return target
          .recover(e -> Future.failedFuture(e instanceof AddressGuard.Refused ? FetchError.refused(e.getMessage()) : e))
          .compose(server -> client.request(server == null ? options : options.setServer(server)))
          .compose(request -> {
            aborts.add(request); // until its body is saved or given up: a cancel resets it
            return request.send().compose(response -> answer(uri, attempt, response))
                .onComplete(done -> aborts.remove(request));
          });
    }

    /** What a response becomes: a Downloaded (its body saved), a Redirect, or a failure. */
    private Future<Object> answer(URI uri, int attempt, HttpClientResponse response) {
      // Paused until the body's file is open; a failure meanwhile is kept, in its place after the data.
      BodyStream body = new BodyStream(response, vertx.getOrCreateContext());
      int status = response.statusCode();
      String location = response.getHeader(HttpHeaders.LOCATION);
      if (status >= 300 && status < 400 && status != 304 && location != null) {
        drain(response);
        try {
          return Future.succeededFuture(new Redirect(Urls.resolve(uri, location.trim())));
        } catch (IllegalArgumentException e) {
          return Future.failedFuture(FetchError.of(ErrorCode.BAD_GATEWAY, "bad redirect Location: " + location));
        }
      }
      if (status == 304 && disk.fileModified() != null) {
        drain(response); // not modified: the file there is the one
        return Future.succeededFuture(new Downloaded(raw, dir.resolve(name), disk.fileBytes(), 304, attempt + 1));
      }
      boolean resuming = disk.resumable() && !fresh;
      if (resuming && status == 416) {
        long total = OnDisk.unsatisfiedTotal(response.getHeader(HttpHeaders.CONTENT_RANGE));
        drain(response);
        return total == disk.partBytes() ? publishPart(response, 0, 206, attempt) : restart(); // complete already
      }
      if (status < 200 || status >= 300) {
        drain(response);
        return Future.failedFuture(new FetchError(status, "HTTP " + status + " " + response.statusMessage(),
            RetryPolicy.retryable(status), response.getHeader("Retry-After")));
      }
      if (run.options().resume()) {
        long[] range = status == 206 ? OnDisk.contentRange(response.getHeader(HttpHeaders.CONTENT_RANGE)) : null;
        if (resuming && status == 206 && (range == null || range[0] != disk.partBytes())) {
          response.request().reset();
          return restart(); // another range than the one asked for
        }
        long from = resuming && status == 206 ? disk.partBytes() : 0; // a 200: the server sent it all again
        long total = range != null ? range[1] : contentLength(response);
        if (total > settings.maxFileBytes()) {
          response.request().reset();
          return Future.failedFuture(FetchError.of(ErrorCode.TOO_LARGE,
              "the body of " + total + " bytes is over the limit of " + settings.maxFileBytes() + " bytes"));
        }
        return saveToPart(response, body, from, total).compose(v -> publishPart(response, from, status, attempt));
      }
      long length = contentLength(response);
      if (length > settings.maxFileBytes()) {
        response.request().reset();
        return Future.failedFuture(FetchError.of(ErrorCode.TOO_LARGE,
            "Content-Length " + length + " is over the limit of " + settings.maxFileBytes() + " bytes"));
      }
      // A conditional fetch finds its file again by the URL's name: no extension is added from the type.
      String base = item.out() != null || run.options().ifModified() ? wanted
          : FileNames.withExtension(wanted, response.getHeader(HttpHeaders.CONTENT_TYPE));
      String name = names.claim(base);
      // A rate-limited job streams every body: a body read whole would come at the server's pace.
      Future<Saved> saved = length >= 0 && length <= settings.smallBodyBytes() && run.throttle() == null
          ? saveSmall(response, body, length, base, name)
          : save(response, body, length, base, name);
      return saved.map(s -> (Object) new Downloaded(raw, dir.resolve(s.name()), s.bytes(), status, attempt + 1));
    }

    /** The part could not be continued: forgotten, and the URL asked for again whole. */
    private Future<Object> restart() {
      fresh = true;
      return vertx.executeBlocking(() -> {
        OnDisk.forgetPart(dir, name);
        return (Object) new Restart();
      }, false);
    }

    /**
     * With continue: the body streamed into {@code NAME.part}, appended from {@code from} (a 206) or from
     * the start with the response's validator beside it (a 200), for the next run to continue. On a
     * failure the part stays, unless what it holds cannot be the body (over the size limit).
     */
    private Future<Void> saveToPart(HttpClientResponse response, BodyStream body, long from,
                                    long total) {
      Path part = dir.resolve(name + Names.PART);
      Future<Void> ready = from > 0 ? Future.succeededFuture() : vertx.executeBlocking(() -> {
        OnDisk.writeValidator(dir, name, OnDisk.validatorOf(response.getHeader(HttpHeaders.ETAG),
            response.getHeader(HttpHeaders.LAST_MODIFIED)));
        return null;
      }, false);
      io.vertx.core.file.OpenOptions mode = new io.vertx.core.file.OpenOptions().setWrite(true).setCreate(true)
          .setTruncateExisting(from == 0);
      // The position is set to the part's end rather than with OpenOptions.setAppend: AsyncFile writes
      // at positions of its own.
      // One write at a time: AsyncFile starts the next write before the last one is done, and after a
      // SIGKILL a later write may have landed while an earlier one had not, leaving a hole that a resume
      // from the part's size would keep (seen once in two runs of FetchKilledResumeTest before this). With
      // one write in flight, what is on disk is always the body's first bytes.
      return ready.compose(v -> vertx.fileSystem().open(part.toString(), mode))
          .map(f -> (AsyncFile) f.setWritePos(from).setWriteQueueMaxSize(2)).recover(e -> {
        response.request().reset();
        return Future.failedFuture(FetchError.of(ErrorCode.INTERNAL, "cannot write " + part + ": " + e.getMessage()));
      }).compose(file -> {
        LimitedFileStream out = new LimitedFileStream(file, settings.maxFileBytes() - from, progress, null, run.throttle());
        Future<Void> piped = body.pipe().endOnSuccess(false).endOnFailure(false).to(out);
        return piped.transform(p -> {
          if (p.failed()) {
            response.request().reset();
          }
          return file.close().transform(closed -> {
            Throwable why = bodyFailure(p, closed, out, total < 0 ? -1 : total - from, part, null);
            if (why == null) {
              return Future.succeededFuture();
            }
            if (out.overLimit()) {
              return vertx.executeBlocking(() -> {
                OnDisk.forgetPart(dir, name);
                return null;
              }, false).transform(x -> Future.failedFuture(why));
            }
            FetchError e = FetchError.classify(why);
            return Future.failedFuture(new FetchError(e.failureCode(), e.getMessage() + " (" + part.getFileName()
                + " kept with " + (from + out.written()) + " bytes: continue resumes it)", e.retryable(), e.retryAfter()));
          });
        });
      });
    }

    /** The whole body is in {@code NAME.part}: checked against the checksum, named, its validator file removed. */
    private Future<Object> publishPart(HttpClientResponse response, long from, int status, int attempt) {
      Path part = dir.resolve(name + Names.PART);
      String lastModified = response.getHeader(HttpHeaders.LAST_MODIFIED);
      String etag = response.getHeader(HttpHeaders.ETAG);
      return vertx.executeBlocking(() -> {
        long size = java.nio.file.Files.size(part);
        if (item.checksum() != null) {
          FetchError mismatch = item.checksum().mismatch(digestOf(part, item.checksum()));
          if (mismatch != null) {
            OnDisk.forgetPart(dir, name);
            throw mismatch;
          }
        }
        String finalName = parts.keep(dir, new PartFiles.Opened(name, part, null), name, size, names);
        java.nio.file.Files.deleteIfExists(dir.resolve(name + Names.PART + OnDisk.VALIDATOR));
        OnDisk.stamp(dir.resolve(finalName), lastModified, etag);
        return (Object) new Downloaded(raw, dir.resolve(finalName), size, status, attempt + 1);
      }, false).onFailure(e -> names.release(name));
    }

    private Future<Saved> save(HttpClientResponse response, BodyStream body, long length, String base,
                               String name) {
      return parts.open(dir, base, name, names)
          .recover(e -> {
            response.request().reset();
            return Future.failedFuture(e);
          })
          .compose(opened -> {
            AsyncFile file = opened.file();
            LimitedFileStream out = new LimitedFileStream(file, settings.maxFileBytes(), progress,
                item.checksum() == null ? null : item.checksum().digest(), run.throttle());
            // The file is closed here, never by the pipe, so that it is closed once on every path, and only then
            // named or deleted.
            return body.pipe().endOnSuccess(false).endOnFailure(false).to(out).transform(piped -> {
              if (piped.failed()) {
                response.request().reset(); // before the close: no more of its body may reach the file
              }
              return file.close().transform(closed -> {
                Throwable why = bodyFailure(piped, closed, out, length, opened.part(), item.checksum());
                if (why != null) {
                  return parts.discard(opened, names, out.written(), progress, why);
                }
                return vertx.executeBlocking(() -> stamped(parts.keep(dir, opened, base, out.written(), names), response), false)
                    .map(finalName -> new Saved(finalName, out.written()))
                    .recover(e -> parts.discard(opened, names, out.written(), progress, e));
              });
            });
          });
    }

    /**
     * A body whose Content-Length is at most {@code fetch.smallBodyBytes}: read whole, then written,
     * closed and renamed in one blocking step. Streaming it would cost four hops to the blocking pool
     * (open, write, close, rename) for 32 KB; this costs one (measured: docs/fetch.md). Memory stays
     * bounded: at most concurrency × smallBodyBytes.
     */
    private Future<Saved> saveSmall(HttpClientResponse response, BodyStream body, long length,
                                    String base, String name) {
      // Collected into a buffer of the announced size: body() would grow its buffer as chunks come, copying
      // what it holds at each step (measured: docs/fetch.md, "levers").
      DirectBody direct = new DirectBody((int) length);
      Buffer collected = direct.buffer();
      Promise<Buffer> ended = Promise.promise();
      body.handler(collected::appendBuffer).endHandler(v -> ended.tryComplete(collected))
          .exceptionHandler(ended::tryFail);
      body.resume();
      return ended.future().compose(whole -> {
        if (whole.length() != length) {
          return Future.failedFuture(new FetchError(ErrorCode.BAD_GATEWAY,
              "body ended after " + whole.length() + " of " + length + " bytes", true, null));
        }
        FetchError mismatch = item.checksum() == null ? null
            : item.checksum().mismatch(item.checksum().digest().digest(whole.getBytes()));
        if (mismatch != null) {
          return Future.failedFuture(mismatch);
        }
        return vertx.executeBlocking(() -> new Saved(stamped(parts.writeWhole(dir, base, name, names,
            direct.nio()), response), whole.length()), false);
      }).onSuccess(saved -> progress.accept(saved.bytes())).onFailure(e -> names.release(name))
          .onComplete(x -> direct.release());
    }

    /** Blocking: for a conditional fetch, the file takes the response's Last-Modified and ETag for next time. */
    private String stamped(String finalName, HttpClientResponse response) {
      if (run.options().ifModified()) {
        OnDisk.stamp(dir.resolve(finalName), response.getHeader(HttpHeaders.LAST_MODIFIED),
            response.getHeader(HttpHeaders.ETAG));
      }
      return finalName;
    }

    private String chainText(URI next) {
      return chain.stream().map(URI::toString).collect(Collectors.joining(" -> ")) + " -> " + next;
    }
  }

  /** Blocking: the digest of a whole file, read in 1 MiB pieces. */
  private static byte[] digestOf(Path file, Checksum checksum) throws java.io.IOException {
    java.security.MessageDigest digest = checksum.digest();
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 20];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return digest.digest();
  }

  /** Why a streamed body must not be kept, or null when it may be. */
  private Throwable bodyFailure(AsyncResult<Void> piped, AsyncResult<Void> closed, LimitedFileStream out, long length,
                                Path part, Checksum checksum) {
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
    return checksum == null ? null : checksum.mismatch(out.digest());
  }

  /** A refused response's body: read when small, to keep the connection; the connection reset otherwise. */
  private static void drain(HttpClientResponse response) {
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
}
