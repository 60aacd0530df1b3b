package dev.pixelbus.web;

import dev.pixelbus.api.Addresses;
import dev.pixelbus.web.source.ResultCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /metrics} in Prometheus's text format, with Micrometer. When Vert.x runs with
 * vertx-micrometer-metrics and a Prometheus backend (the server's default), this is Vert.x's own
 * registry: its {@code vertx_*} series (HTTP server, event bus, net server, pools) and the JVM's
 * ({@code jvm_*}, {@code process_*}) sit beside pixelbus's. Without it (metrics turned off, or a
 * Vert.x built by hand), a registry of pixelbus's own series only.
 *
 * <p>The HTTP API times its own requests; the rest of pixelbus's series are read at scrape time from
 * each part's stats address (image dispatcher per op, echo server, fetch), so no part needs to know
 * about metrics and a part that is not deployed simply has no series.
 */
final class MetricsRoute {
  private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(2000);
  private final Vertx vertx;
  private final PrometheusMeterRegistry registry = sharedOrOwn();
  private final Map<String, Double> latest = new ConcurrentHashMap<>();
  /** One timer per route, op and status, built once rather than looked up from a new builder per request. */
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  private final Timer sourceFetches;

  MetricsRoute(Vertx vertx) {
    this.vertx = vertx;
    sourceFetches = Timer.builder("pixelbus_source_fetch").description("fetches of image sources (GET with url=)")
        .register(registry);
    gauge("pixelbus_image_queue_depth", "image requests waiting for a free worker", "image.queued");
    gauge("pixelbus_image_workers", "image worker verticles", "image.workers");
    gauge("pixelbus_image_workers_busy", "image workers running a job", "image.busy");
    gauge("pixelbus_echo_connections", "open echo connections", "echo.active");
    counter("pixelbus_echo_lines", "lines echoed", "echo.lines");
    counter("pixelbus_echo_rejected", "echo connections turned away at the limit", "echo.rejected");
    counter("pixelbus_fetch_bytes", "bytes fetched and saved", "fetch.bytes");
    counter("pixelbus_fetch_files", "files fetched and saved", "fetch.files");
    counter("pixelbus_fetch_failures", "URLs that failed", "fetch.failed");
  }

  /** The result cache's counters: hits, misses and evictions. */
  ResultCache.Stats cacheStats() {
    Counter hits = Counter.builder("pixelbus_cache_hits").description("source GETs answered from the result cache")
        .register(registry);
    Counter misses = Counter.builder("pixelbus_cache_misses").description("source GETs the result cache did not hold")
        .register(registry);
    Counter evictions = Counter.builder("pixelbus_cache_evictions")
        .description("results evicted from the cache at http.cache.maxBytes").register(registry);
    return new ResultCache.Stats() {
      @Override
      public void hit() {
        hits.increment();
      }

      @Override
      public void miss() {
        misses.increment();
      }

      @Override
      public void evicted(int entries) {
        evictions.increment(entries);
      }
    };
  }

  /** The result cache's size, read at scrape time. */
  void cacheSize(ResultCache cache) {
    Gauge.builder("pixelbus_cache_bytes", cache, ResultCache::bytes).description("bytes the result cache holds")
        .register(registry);
    Gauge.builder("pixelbus_cache_entries", cache, ResultCache::entries).description("results the cache holds")
        .register(registry);
  }

  /** One source fetched for the image server, and how long it took. */
  void sourceFetched(long millis) {
    sourceFetches.record(millis, TimeUnit.MILLISECONDS);
  }

  /** Vert.x's default registry when it is a Prometheus one, else a registry of this route's own. */
  private static PrometheusMeterRegistry sharedOrOwn() {
    return BackendRegistries.getDefaultNow() instanceof PrometheusMeterRegistry vertxs ? vertxs
        : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /** Whether Vert.x's own series are served beside pixelbus's. */
  boolean withVertxSeries() {
    return registry == BackendRegistries.getDefaultNow();
  }

  /** Times one gRPC call of Images or Fetch, by method and the status it ended with (refused ones at 0 s). */
  void grpcCall(String method, String status, long nanos) {
    timers.computeIfAbsent("grpc " + method + ' ' + status, k -> Timer.builder("pixelbus_grpc_calls")
            .description("gRPC calls of pixelbus.v1.Images and pixelbus.v1.Fetch").tag("method", method)
            .tag("status", status).publishPercentileHistogram(false).register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Times one HTTP request of the API. */
  void record(String route, String op, int status, long nanos) {
    timers.computeIfAbsent(route + ' ' + op + ' ' + status, k -> Timer.builder("pixelbus_http_requests")
            .description("HTTP API requests").tag("route", route).tag("op", op).tag("status", String.valueOf(status))
            .publishPercentileHistogram(false).register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  void handle(RoutingContext ctx) {
    Future<JsonObject> image = stats(Addresses.IMAGE_STATS).onSuccess(s -> {
      put("image", s, "queued", "workers", "busy");
      JsonObject ops = s.getJsonObject("ops", new JsonObject());
      for (String op : ops.fieldNames()) {
        JsonObject o = ops.getJsonObject(op);
        latest.put("op." + op + ".requests", o.getDouble("requests"));
        latest.put("op." + op + ".failed", o.getDouble("failed"));
        latest.put("op." + op + ".seconds", o.getDouble("seconds"));
        opCounter("pixelbus_image_requests", "image requests answered by the workers (bus, HTTP, bridge)", op, "requests");
        opCounter("pixelbus_image_request_failures", "image requests that failed", op, "failed");
        opCounter("pixelbus_image_request_seconds", "seconds from arrival to reply, summed", op, "seconds");
      }
    });
    Future<JsonObject> echo = stats(Addresses.ECHO_STATS).onSuccess(s -> put("echo", s, "active", "lines", "rejected"));
    Future<JsonObject> fetch = stats(Addresses.FETCH_STATS).onSuccess(s -> put("fetch", s, "bytes", "files", "failed"));
    Future.join(image, echo, fetch).onComplete(x -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape()));
  }

  private Future<JsonObject> stats(String address) {
    return vertx.eventBus().<JsonObject>request(address, new JsonObject(), QUICK).map(Message::body);
  }

  private void put(String part, JsonObject stats, String... keys) {
    for (String key : keys) {
      Object value = stats.getValue(key);
      if (value instanceof Number n) {
        latest.put(part + "." + key, n.doubleValue());
      }
    }
  }

  private void gauge(String name, String help, String key) {
    Gauge.builder(name, latest, m -> m.getOrDefault(key, Double.NaN)).description(help).register(registry);
  }

  private void counter(String name, String help, String key) {
    FunctionCounter.builder(name, latest, m -> m.getOrDefault(key, 0.0)).description(help).register(registry);
  }

  private void opCounter(String name, String help, String op, String field) {
    String key = "op." + op + "." + field;
    FunctionCounter.builder(name, latest, m -> m.getOrDefault(key, 0.0)).description(help).tag("op", op)
        .register(registry);
  }
}
