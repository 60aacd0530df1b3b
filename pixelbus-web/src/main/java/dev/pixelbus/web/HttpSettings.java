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

  /**
   * The settings with the defaults for the limits added since (tests, embedding): no TLS, no other origins.
   * {@link #builder()} names every component.
   */
  public HttpSettings(boolean enabled, String host, int port, long maxBodyBytes, Path uploadsDir, long requestTimeoutMs,
                      long fetchTimeoutMs) {
    this(enabled, host, port, maxBodyBytes, uploadsDir, requestTimeoutMs, fetchTimeoutMs, DEFAULT_MAX_IN_FLIGHT,
        DEFAULT_BODY_TIMEOUT_MS, TlsSettings.OFF, List.of());
  }

  /** The defaults that both {@link #from} and the shorter constructor give. */
  private static final int DEFAULT_MAX_IN_FLIGHT = 32;
  private static final long DEFAULT_BODY_TIMEOUT_MS = 60_000L;

  /** Reads the {@code http} section: each key, its default, and the component it sets, one per line. */
  public static HttpSettings from(JsonObject config) {
    JsonObject c = config.getJsonObject("http", new JsonObject());
    String uploads = c.getString("uploadsDir", "");
    return builder()
        .enabled(c.getBoolean("enabled", true))
        .host(c.getString("host", "127.0.0.1"))
        .port(c.getInteger("port", 8080))
        .maxBodyBytes(c.getLong("maxBodyBytes", 64L << 20))
        .uploadsDir(uploads.isBlank() ? Path.of(System.getProperty("java.io.tmpdir"), "pixelbus-uploads") : Path.of(uploads))
        .requestTimeoutMs(c.getLong("requestTimeoutMs", 130_000L))
        .fetchTimeoutMs(c.getLong("fetchTimeoutMs", 3_600_000L))
        .maxInFlight(c.getInteger("maxInFlight", DEFAULT_MAX_IN_FLIGHT))
        .bodyTimeoutMs(c.getLong("bodyTimeoutMs", DEFAULT_BODY_TIMEOUT_MS))
        .tls(TlsSettings.from(c, "http"))
        .allowedOrigins(strings(c.getJsonObject("cors", new JsonObject()).getJsonArray("allowedOrigins", new JsonArray())))
        .build();
  }

  private static List<String> strings(JsonArray a) {
    List<String> out = new ArrayList<>();
    for (Object o : a) {
      require(o instanceof String, "http.cors.allowedOrigins must be a list of strings");
      out.add((String) o);
    }
    return out;
  }

  /** Settings by name, for {@link #from} and for code that embeds the HTTP API; unset components are 0, false or null. */
  public static Builder builder() {
    return new Builder();
  }

  /** The components by name, so that none is set by its position in a long argument list. */
  public static final class Builder {
    private boolean enabled;
    private String host;
    private int port;
    private long maxBodyBytes;
    private Path uploadsDir;
    private long requestTimeoutMs;
    private long fetchTimeoutMs;
    private int maxInFlight;
    private long bodyTimeoutMs;
    private TlsSettings tls;
    private List<String> allowedOrigins;

    private Builder() {
    }

    public Builder enabled(boolean value) {
      enabled = value;
      return this;
    }

    public Builder host(String value) {
      host = value;
      return this;
    }

    public Builder port(int value) {
      port = value;
      return this;
    }

    public Builder maxBodyBytes(long value) {
      maxBodyBytes = value;
      return this;
    }

    public Builder uploadsDir(Path value) {
      uploadsDir = value;
      return this;
    }

    public Builder requestTimeoutMs(long value) {
      requestTimeoutMs = value;
      return this;
    }

    public Builder fetchTimeoutMs(long value) {
      fetchTimeoutMs = value;
      return this;
    }

    public Builder maxInFlight(int value) {
      maxInFlight = value;
      return this;
    }

    public Builder bodyTimeoutMs(long value) {
      bodyTimeoutMs = value;
      return this;
    }

    public Builder tls(TlsSettings value) {
      tls = value;
      return this;
    }

    public Builder allowedOrigins(List<String> value) {
      allowedOrigins = value;
      return this;
    }

    /** Checks every value (the record's constructor names the key of a bad one). */
    public HttpSettings build() {
      return new HttpSettings(enabled, host, port, maxBodyBytes, uploadsDir, requestTimeoutMs, fetchTimeoutMs,
          maxInFlight, bodyTimeoutMs, tls, allowedOrigins);
    }
  }
}
