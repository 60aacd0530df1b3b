package dev.pixelbus.fetch;

import dev.pixelbus.api.ErrorCode;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Downloads a list of URLs into one folder with at most {@code concurrency} at once, and answers
 * with every file and every failure, in the order of the list. Runs on one event loop.
 */
final class FetchJob {
  /**
   * Where a job stands: published while it runs and once at the end, with the URLs that failed since
   * the last event; the last one carries the summary.
   */
  record Progress(int total, int done, int failed, long bytes, double seconds, List<JsonObject> failures,
                  JsonObject summary) {
    JsonObject toJson() {
      JsonObject json = new JsonObject().put("total", total).put("done", done).put("failed", failed).put("bytes", bytes)
          .put("seconds", seconds).put("rate", seconds > 0 ? Math.round(done / seconds * 10) / 10.0 : 0.0)
          .put("bytesPerSecond", seconds > 0 ? Math.round(bytes / seconds) : 0)
          .put("failures", new JsonArray(new ArrayList<>(failures))).put("finished", summary != null);
      return summary == null ? json : json.put("summary", summary);
    }
  }

  /** Failures one progress event lists; beyond this they are only counted (the summary has them all). */
  private static final int MAX_FAILURES_PER_PROGRESS = 100;

  private static final long PROGRESS_EVERY_MS = 250;
  private final Vertx vertx;
  private final Downloader downloader;
  private final List<FetchItem> urls;
  private final Path dir;
  private final JobOptions options;
  private final int concurrency;
  private final Consumer<Progress> listener;
  /** Downloads running per host, and the URLs waiting for their host to have room ({@code maxPerHost}). */
  private final Map<String, Integer> perHost = new HashMap<>();
  private final Map<String, ArrayDeque<Integer>> parked = new LinkedHashMap<>();
  private Downloader.Run run;
  private final JsonObject[] results;
  private final long start = System.nanoTime();
  private final Promise<JsonObject> done = Promise.promise();
  private Names names;
  private int next;
  private int running;
  private int finished;
  private boolean filling;
  private boolean refill;
  private int failed;
  private int refused;
  private long bytes;
  private final Aborts aborts = new Aborts();
  private final List<JsonObject> newFailures = new ArrayList<>();

  FetchJob(Vertx vertx, Downloader downloader, List<FetchItem> urls, Path dir, JobOptions options,
           Consumer<Progress> listener) {
    this.vertx = vertx;
    this.downloader = downloader;
    this.urls = urls;
    this.dir = dir;
    this.options = options;
    this.concurrency = options.concurrency();
    this.listener = listener;
    this.results = new JsonObject[urls.size()];
  }

  /** The job's reply, once it ended (done, or cancelled). */
  Future<JsonObject> result() {
    return done.future();
  }

  Future<JsonObject> run() {
    return vertx.fileSystem().mkdirs(dir.toString())
        .recover(e -> Future.failedFuture(FetchError.of(ErrorCode.INTERNAL, "cannot create " + dir + ": " + e.getMessage())))
        .compose(v -> vertx.fileSystem().readDir(dir.toString()))
        .compose(existing -> {
          Set<String> present = new HashSet<>();
          for (String path : existing) {
            present.add(Path.of(path).getFileName().toString());
          }
          names = new Names(present, options.overwrite());
          Throttle throttle = options.limitRate() > 0 ? new Throttle(options.limitRate(), System::nanoTime) : null;
          long refills = throttle == null ? -1 : throttle.start(vertx);
          run = new Downloader.Run(dir, names, n -> bytes += n, aborts, throttle, options);
          long timer = vertx.setPeriodic(PROGRESS_EVERY_MS, id -> listener.accept(progress(null)));
          fill();
          return done.future().onComplete(x -> {
            vertx.cancelTimer(timer);
            vertx.cancelTimer(refills);
          });
        });
  }

  /**
   * Starts downloads while there is room. A URL refused before any I/O (no http or https, say)
   * completes at once, inside this loop, and its callback asks for the next: {@link #filling} turns
   * that into another turn of the loop here, instead of a stack frame per refused URL (a list of
   * thousands of them would overflow the stack).
   */
  private void fill() {
    if (filling) {
      refill = true;
      return;
    }
    filling = true;
    try {
      do {
        refill = false;
        startWhileRoom();
      } while (refill);
    } finally {
      filling = false;
    }
  }

  private void startWhileRoom() {
    int index;
    while (running < concurrency && (index = nextStartable()) >= 0) {
      running++;
      FetchItem item = urls.get(index);
      String host = hostOf(item);
      perHost.merge(host, 1, Integer::sum);
      String url = item.url();
      long t0 = System.nanoTime();
      int at = index;
      downloader.fetch(item, run).onComplete(ar -> {
        double millis = (System.nanoTime() - t0) / 1e6;
        if (ar.succeeded() || !aborts.cancelled()) {
          record(at, url, millis, ar); // one the cancel stopped is neither done nor failed
        }
        running--;
        perHost.merge(host, -1, Integer::sum);
        finished++;
        if (finished == urls.size() || (aborts.cancelled() && running == 0)) {
          end();
        } else {
          fill();
        }
      });
    }
    if (urls.isEmpty()) {
      end();
    }
  }

  /**
   * The next URL that may start: one parked for a host that has room again, else the next of the list
   * whose host has room (the others are parked); -1 when none may.
   */
  private int nextStartable() {
    int cap = options.maxPerHost();
    if (cap > 0) {
      for (var it = parked.entrySet().iterator(); it.hasNext(); ) {
        var e = it.next();
        if (perHost.getOrDefault(e.getKey(), 0) < cap) {
          int index = e.getValue().poll();
          if (e.getValue().isEmpty()) {
            it.remove();
          }
          return index;
        }
      }
    }
    while (next < urls.size()) {
      int index = next++;
      if (cap <= 0) {
        return index;
      }
      String host = hostOf(urls.get(index));
      if (perHost.getOrDefault(host, 0) < cap) {
        return index;
      }
      parked.computeIfAbsent(host, h -> new ArrayDeque<>()).add(index);
    }
    return -1;
  }

  /** The host a URL counts against for {@code maxPerHost}: its name (or address), in lower case, and port. */
  static String hostOf(FetchItem item) {
    try {
      URI uri = new URI(item.url().trim());
      return (uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT)) + ":" + uri.getPort();
    } catch (URISyntaxException e) {
      return ""; // fails at once in the downloader
    }
  }

  private void end() {
    JsonObject reply = reply();
    listener.accept(progress(reply));
    done.tryComplete(reply);
  }

  /** A download's outcome, at its place in the list. */
  private void record(int index, String url, double millis, AsyncResult<Downloader.Downloaded> ar) {
    if (ar.succeeded()) {
      Downloader.Downloaded d = ar.result();
      results[index] = new JsonObject().put("url", url).put("file", d.file().toString()).put("bytes", d.bytes())
          .put("status", d.status()).put("millis", Math.round(millis * 100) / 100.0).put("attempts", d.attempts());
    } else {
      FetchError e = FetchError.classify(ar.cause());
      failed++;
      refused += e.refusedByGuard() ? 1 : 0;
      results[index] = new JsonObject().put("url", url).put("code", e.failureCode()).put("message", e.getMessage())
          .put("millis", Math.round(millis * 100) / 100.0).put("failed", true);
      if (newFailures.size() < MAX_FAILURES_PER_PROGRESS) {
        newFailures.add(new JsonObject().put("url", url).put("code", e.failureCode()).put("message", e.getMessage()));
      }
    }
  }

  /**
   * Stops the job: no download more starts, and those in flight are reset (each deletes its part
   * file). It ends once they have, with the files finished so far; the future of {@link #run}
   * completes then.
   */
  void cancel() {
    if (done.future().isComplete()) {
      return;
    }
    aborts.cancel();
    next = urls.size();
    parked.clear();
    if (running == 0) {
      end();
    }
  }

  /** @param summary the job's reply once it is over, null while it runs */
  private Progress progress(JsonObject summary) {
    List<JsonObject> since = List.copyOf(newFailures);
    newFailures.clear();
    return new Progress(urls.size(), finished, failed, bytes, (System.nanoTime() - start) / 1e9, since, summary);
  }

  private JsonObject reply() {
    JsonArray files = new JsonArray();
    JsonArray failures = new JsonArray();
    long total = 0;
    int notFetched = 0;
    for (JsonObject r : results) {
      if (r == null) {
        notFetched++; // cancelled before it was done
      } else if (r.containsKey("failed")) {
        r.remove("failed");
        failures.add(r);
      } else {
        files.add(r);
        total += r.getLong("bytes");
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new JsonObject().put("files", files).put("failed", failures).put("bytes", total)
        .put("seconds", Math.round(seconds * 1000) / 1000.0).put("concurrency", concurrency)
        .put("cancelled", aborts.cancelled()).put("notFetched", notFetched).put("refused", refused);
  }
}
