package dev.pixelbus.web.source;

import static dev.pixelbus.common.Checks.require;

import dev.pixelbus.common.CacheFolder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The image server for the web ({@code GET /v1/images/OP?url=SOURCE}): the {@code http.sources} and
 * {@code http.cache} sections, and {@code image.maxInputBytes}, the most a source may be.
 *
 * @param enabled     whether GET with a source URL is served at all
 * @param signingKeys {@code http.sources.signingKeys}: when any is set, every source GET must carry {@code sig};
 *                    several, so that keys can rotate
 * @param timeoutMs   the longest a source may take to arrive whole; past it, 504
 * @param maxBytes    the largest source, {@code image.maxInputBytes}; a longer one is cut there, 413
 * @param cache       the result cache on disk
 */
public record SourceSettings(boolean enabled, List<String> signingKeys, long timeoutMs, long maxBytes, Cache cache) {

  /**
   * {@code http.cache}: results kept on disk under {@code dir}, at most {@code maxBytes} (least recently used
   * first out), told to clients as fresh for {@code maxAgeSeconds}; a source that says nothing of its own
   * freshness is fresh for {@code sourceTtlSeconds}.
   */
  public record Cache(boolean enabled, Path dir, long maxBytes, long maxAgeSeconds, long sourceTtlSeconds) {
    public Cache {
      require(maxBytes >= 0 && maxAgeSeconds >= 0 && sourceTtlSeconds >= 0,
          "http.cache.maxBytes, http.cache.maxAgeSeconds and http.cache.sourceTtlSeconds must be 0 or more");
    }
  }

  public SourceSettings {
    signingKeys = List.copyOf(signingKeys);
    require(timeoutMs > 0, "http.sources.timeoutMs must be positive");
    require(maxBytes > 0, "image.maxInputBytes must be positive");
    for (String key : signingKeys) {
      require(key.length() >= 16, "http.sources.signingKeys: a key is a secret of 16 characters or more"
          + " (openssl rand -hex 32 makes one)");
    }
  }

  /** Whether source GETs must be signed. */
  public boolean signed() {
    return !signingKeys.isEmpty();
  }

  /** Reads {@code http.sources}, {@code http.cache} and {@code image.maxInputBytes}: each key and its default. */
  public static SourceSettings from(JsonObject config) {
    JsonObject http = config.getJsonObject("http", new JsonObject());
    JsonObject s = http.getJsonObject("sources", new JsonObject());
    JsonObject c = http.getJsonObject("cache", new JsonObject());
    List<String> keys = new ArrayList<>();
    for (Object key : s.getJsonArray("signingKeys", new JsonArray())) {
      require(key instanceof String, "http.sources.signingKeys: every key is a string");
      keys.add((String) key);
    }
    String dir = c.getString("dir", "");
    Cache cache = new Cache(c.getBoolean("enabled", true),
        dir.isBlank() ? CacheFolder.platformDefault().resolve("images") : Path.of(dir),
        c.getLong("maxBytes", 1L << 30), c.getLong("maxAgeSeconds", 86_400L), c.getLong("sourceTtlSeconds", 3_600L));
    return new SourceSettings(s.getBoolean("enabled", true), keys, s.getLong("timeoutMs", 20_000L),
        config.getJsonObject("image", new JsonObject()).getLong("maxInputBytes", 256L << 20), cache);
  }
}
