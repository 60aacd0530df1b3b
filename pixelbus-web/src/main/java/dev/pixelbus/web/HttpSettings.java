package dev.pixelbus.web;

import static dev.pixelbus.common.Checks.require;

import dev.pixelbus.common.auth.TlsSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code http} section of the configuration.
 *
 * @param maxBodyBytes  the largest upload; over it the API answers 413 without reading the rest
 * @param uploadsDir    where multipart uploads wait while they are processed (deleted after)
 * @param fetchTimeoutMs how long {@code POST /v1/fetch} waits for its job
 * @param maxInFlight   API requests (images, fetch) being received or answered at once; the next gets 503
 *                      before its body is read, so at most this many bodies of maxBodyBytes are held
 * @param bodyTimeoutMs how long a request may take to send its whole body; a slower one is cut with 408
 * @param tls           HTTPS (and HTTP/2 by ALPN) with a PEM pair; off by default
 * @param allowedOrigins {@code http.cors.allowedOrigins}: the other origins whose pages may call the API and the
 *                      bridge (CORS); none by default, so only the server's own page may ({@code *}: any)
 */
public record HttpSettings(boolean enabled, String host, int port, long maxBodyBytes, Path uploadsDir,
                           long requestTimeoutMs, long fetchTimeoutMs, int maxInFlight, long bodyTimeoutMs,
                           TlsSettings tls, List<String> allowedOrigins) {

  public HttpSettings {
    allowedOrigins = List.copyOf(allowedOrigins);
    for (String origin : allowedOrigins) {
      require(origin.equals("*") || origin.matches("https?://[^/\\s]+"),
          "http.cors.allowedOrigins: an origin is scheme://host[:port] with no path, or *, not " + origin);
    }
    require(port >= 0 && port <= 65535, "http.port must be 0..65535 (0 picks a free port)");
    require(maxBodyBytes >= 1 && requestTimeoutMs >= 1 && fetchTimeoutMs >= 1 && maxInFlight >= 1 && bodyTimeoutMs >= 1,
        "http.maxBodyBytes, http.requestTimeoutMs, http.fetchTimeoutMs, http.maxInFlight and http.bodyTimeoutMs must be positive");
  }

  /** The settings with the defaults for the limits added since (tests, embedding). */
  public HttpSettings(boolean enabled, String host, int port, long maxBodyBytes, Path uploadsDir, long requestTimeoutMs,
                      long fetchTimeoutMs) {
    this(enabled, host, port, maxBodyBytes, uploadsDir, requestTimeoutMs, fetchTimeoutMs, 32, 60_000L, TlsSettings.OFF,
        List.of());
  }

  public static HttpSettings from(JsonObject config) {
    JsonObject c = config.getJsonObject("http", new JsonObject());
    String uploads = c.getString("uploadsDir", "");
    return new HttpSettings(c.getBoolean("enabled", true), c.getString("host", "127.0.0.1"), c.getInteger("port", 8080),
        c.getLong("maxBodyBytes", 64L << 20),
        uploads.isBlank() ? Path.of(System.getProperty("java.io.tmpdir"), "pixelbus-uploads") : Path.of(uploads),
        c.getLong("requestTimeoutMs", 130_000L), c.getLong("fetchTimeoutMs", 3_600_000L), c.getInteger("maxInFlight", 32),
        c.getLong("bodyTimeoutMs", 60_000L), TlsSettings.from(c, "http"),
        strings(c.getJsonObject("cors", new JsonObject()).getJsonArray("allowedOrigins", new JsonArray())));
  }

  private static List<String> strings(JsonArray a) {
    List<String> out = new ArrayList<>();
    for (Object o : a) {
      require(o instanceof String, "http.cors.allowedOrigins must be a list of strings");
      out.add((String) o);
    }
    return out;
  }
}
