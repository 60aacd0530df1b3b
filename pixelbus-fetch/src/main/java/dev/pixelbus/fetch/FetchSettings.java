package dev.pixelbus.fetch;

import static dev.pixelbus.common.Checks.require;

import dev.pixelbus.fetch.guard.HostPolicy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code fetch} section of the configuration, checked at start.
 *
 * @param concurrency     downloads at once unless a request asks for fewer
 * @param maxConcurrency  the most a request may ask for, and the connection pool's size per host
 * @param maxFileBytes    the largest body accepted; refused before it starts when Content-Length says more
 * @param connectTimeoutMs time to open a connection
 * @param idleTimeoutMs   time without a byte from the server (headers or body) before the attempt fails
 * @param maxRedirects    redirects followed per URL
 * @param retry           when and how soon connection errors, 5xx and 429 are tried again
 * @param maxUrls         URLs per request (event bus) or per run (command line)
 * @param outputRoot      folder that {@code pixelbus.fetch} requests' {@code dir} must lie in
 * @param insecure        turn TLS certificate and host checks off (the course's {@code ssl=False})
 * @param smallBodyBytes  bodies announced at most this long are read whole and written in one step
 * @param eventLoops      event loops the connections are spread over
 * @param maxJobs         {@code pixelbus.fetch} jobs at once; the next gets 503
 * @param hosts           {@code fetch.allowHosts} and {@code fetch.denyHosts}: which hosts jobs from the network may
 *                        fetch, over the refusal of internal addresses (the command line does not apply it)
 */
public record FetchSettings(boolean enabled, int maxJobs, int concurrency, int maxConcurrency, long maxFileBytes, int connectTimeoutMs,
                            int idleTimeoutMs, int maxRedirects, RetryPolicy retry, int maxUrls, Path outputRoot,
                            boolean insecure, String userAgent, long smallBodyBytes, int eventLoops, HostPolicy hosts) {

  public FetchSettings {
    require(maxJobs >= 1, "fetch.maxJobs must be 1 or more");
    require(concurrency >= 1 && concurrency <= maxConcurrency, "fetch.concurrency must be 1..fetch.maxConcurrency");
    require(maxFileBytes > 0, "fetch.maxFileBytes must be positive");
    require(connectTimeoutMs > 0 && idleTimeoutMs > 0, "fetch.connectTimeoutMs and fetch.idleTimeoutMs must be positive");
    require(maxRedirects >= 0, "fetch.maxRedirects must be 0 or more");
    require(retry.retries() >= 0 && retry.baseMs() >= 0 && retry.maxMs() >= retry.baseMs(),
        "fetch.retries, fetch.retryBaseMs and fetch.retryMaxMs must be 0 or more, base <= max");
    require(maxUrls >= 1, "fetch.maxUrls must be 1 or more");
    require(eventLoops >= 1, "fetch.eventLoops must be 0 (one per core) or more");
    require(smallBodyBytes >= 0 && smallBodyBytes <= 16 << 20, "fetch.smallBodyBytes must be 0..16 MiB");
  }

  /** The one place the {@code fetch} section is read: every key, with its default. */
  public static FetchSettings from(JsonObject config) {
    JsonObject c = config.getJsonObject("fetch", new JsonObject());
    Builder b = new Builder();
    b.enabled = c.getBoolean("enabled", true);
    b.maxJobs = c.getInteger("maxJobs", 4);
    b.concurrency = c.getInteger("concurrency", 16);
    b.maxConcurrency = c.getInteger("maxConcurrency", 256);
    b.maxFileBytes = c.getLong("maxFileBytes", 4L << 30);
    b.connectTimeoutMs = c.getInteger("connectTimeoutMs", 10_000);
    b.idleTimeoutMs = c.getInteger("idleTimeoutMs", 30_000);
    b.maxRedirects = c.getInteger("maxRedirects", 10);
    b.retry = new RetryPolicy(c.getInteger("retries", 3), c.getLong("retryBaseMs", 200L), c.getLong("retryMaxMs", 10_000L),
        c.getLong("maxRetryAfterMs", 60_000L));
    b.maxUrls = c.getInteger("maxUrls", 100_000);
    b.outputRoot = Path.of(c.getString("outputRoot", "downloads"));
    b.insecure = c.getBoolean("insecure", false);
    b.userAgent = c.getString("userAgent", "pixelbus/0.1");
    b.smallBodyBytes = c.getLong("smallBodyBytes", 256L << 10);
    b.eventLoops = c.getInteger("eventLoops", 0) > 0 ? c.getInteger("eventLoops")
        : Runtime.getRuntime().availableProcessors();
    b.hosts = HostPolicy.of(strings(c, "allowHosts"), strings(c, "denyHosts"));
    return b.build();
  }

  private static List<String> strings(JsonObject section, String key) {
    JsonArray list = section.getJsonArray(key, new JsonArray());
    List<String> out = new ArrayList<>();
    for (Object o : list) {
      if (!(o instanceof String s)) {
        throw new IllegalArgumentException("fetch." + key + ": every entry must be a string, got " + o);
      }
      out.add(s);
    }
    return out;
  }

  /**
   * The settings of one {@code pixelbus fetch} run: one job, its own concurrency (also the pool's size),
   * TLS choice and size limit, and room for all its URLs; the rest as configured.
   */
  public FetchSettings forCommandLine(int concurrency, boolean insecure, long maxFileBytes, int urls) {
    Builder b = new Builder(this);
    b.enabled = true;
    b.maxJobs = 1;
    b.concurrency = concurrency;
    b.maxConcurrency = concurrency;
    b.maxFileBytes = maxFileBytes;
    b.insecure = insecure;
    b.maxUrls = Math.max(maxUrls, urls);
    return b.build();
  }

  /**
   * The settings for an image's source ({@code GET /v1/images/OP?url=}): one try, no retry. A web page waits for
   * the image; a source that fails answers now, and the browser or the CDN asks again if it will.
   */
  public FetchSettings forSources() {
    Builder b = new Builder(this);
    b.retry = new RetryPolicy(0, retry.baseMs(), retry.maxMs(), retry.maxRetryAfterMs());
    return b.build();
  }

  /**
   * The components by name, so that the settings are built by position in one place only ({@link #build});
   * the checks stay in the record's constructor.
   */
  private static final class Builder {
    boolean enabled;
    int maxJobs;
    int concurrency;
    int maxConcurrency;
    long maxFileBytes;
    int connectTimeoutMs;
    int idleTimeoutMs;
    int maxRedirects;
    RetryPolicy retry;
    int maxUrls;
    Path outputRoot;
    boolean insecure;
    String userAgent;
    long smallBodyBytes;
    int eventLoops;
    HostPolicy hosts;

    Builder() {
    }

    /** Starts from {@code s}: what is not set again stays as it was. */
    Builder(FetchSettings s) {
      enabled = s.enabled;
      maxJobs = s.maxJobs;
      concurrency = s.concurrency;
      maxConcurrency = s.maxConcurrency;
      maxFileBytes = s.maxFileBytes;
      connectTimeoutMs = s.connectTimeoutMs;
      idleTimeoutMs = s.idleTimeoutMs;
      maxRedirects = s.maxRedirects;
      retry = s.retry;
      maxUrls = s.maxUrls;
      outputRoot = s.outputRoot;
      insecure = s.insecure;
      userAgent = s.userAgent;
      smallBodyBytes = s.smallBodyBytes;
      eventLoops = s.eventLoops;
      hosts = s.hosts;
    }

    FetchSettings build() {
      return new FetchSettings(enabled, maxJobs, concurrency, maxConcurrency, maxFileBytes, connectTimeoutMs, idleTimeoutMs,
          maxRedirects, retry, maxUrls, outputRoot, insecure, userAgent, smallBodyBytes, eventLoops, hosts);
    }
  }
}
