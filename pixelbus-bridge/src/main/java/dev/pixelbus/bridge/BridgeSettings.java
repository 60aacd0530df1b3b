package dev.pixelbus.bridge;

import static dev.pixelbus.common.Checks.require;

import dev.pixelbus.common.auth.TlsSettings;
import io.vertx.core.json.JsonObject;

/**
 * The {@code bridge} section of the configuration, checked at start.
 *
 * @param maxFrameBytes     the largest frame a client may send; a larger one gets an {@code err} frame and the close
 * @param maxBufferedBytes  unfinished frames held over all clients; the client that goes over gets 503 and is closed
 * @param maxConnections    clients at once; the next gets 503
 * @param idleTimeoutMs     a connection with no byte either way (TCP) or no ping (SockJS) for this long is closed
 * @param maxInFlight       requests one client may have waiting for their answers; the next is refused at once
 * @param shutdownTimeoutMs how long a stop waits for the answers of requests in flight
 * @param sockjs            the SockJS bridge on the HTTP port, under the same limits
 * @param tls               TLS on the TCP bridge's port with a PEM pair; off by default (the SockJS bridge has
 *                          the HTTP server's {@code http.tls})
 */
public record BridgeSettings(boolean enabled, String host, int port, long maxFrameBytes, long maxBufferedBytes,
                             int maxConnections, long idleTimeoutMs, int maxInFlight, long shutdownTimeoutMs,
                             SockJs sockjs, TlsSettings tls) {

  /**
   * {@code bridge.sockjs}: the SockJS bridge at {@code /eventbus} on the HTTP server.
   *
   * @param replyTimeoutMs how long the bridge waits for the answer to a client's request
   */
  public record SockJs(boolean enabled, long replyTimeoutMs) {
    public SockJs {
      require(replyTimeoutMs > 0, "bridge.sockjs.replyTimeoutMs must be positive");
    }
  }

  public BridgeSettings {
    require(port >= 0 && port <= 65535, "bridge.port must be 0..65535");
    require(maxFrameBytes > 0 && maxFrameBytes <= Integer.MAX_VALUE, "bridge.maxFrameBytes must be 1..2^31-1");
    require(maxBufferedBytes >= maxFrameBytes, "bridge.maxBufferedBytes must be at least bridge.maxFrameBytes");
    require(maxConnections >= 1, "bridge.maxConnections must be 1 or more");
    require(idleTimeoutMs > 0, "bridge.idleTimeoutMs must be positive");
    require(maxInFlight >= 1, "bridge.maxInFlight must be 1 or more");
    require(shutdownTimeoutMs >= 0, "bridge.shutdownTimeoutMs must be 0 or more");
  }

  /**
   * Reads the whole configuration's {@code bridge} section; every key has a default: each key, its default, and
   * the component it sets, one per line.
   */
  public static BridgeSettings from(JsonObject config) {
    JsonObject c = config.getJsonObject("bridge", new JsonObject());
    JsonObject sockjs = c.getJsonObject("sockjs", new JsonObject());
    return builder()
        .enabled(c.getBoolean("enabled", true))
        .host(c.getString("host", "127.0.0.1"))
        .port(c.getInteger("port", 7000))
        .maxFrameBytes(c.getLong("maxFrameBytes", 32L << 20))
        .maxBufferedBytes(c.getLong("maxBufferedBytes", 256L << 20))
        .maxConnections(c.getInteger("maxConnections", 1000))
        .idleTimeoutMs(c.getLong("idleTimeoutMs", 600_000L))
        .maxInFlight(c.getInteger("maxInFlight", 4096))
        .shutdownTimeoutMs(c.getLong("shutdownTimeoutMs", 5000L))
        .sockjs(new SockJs(sockjs.getBoolean("enabled", true), sockjs.getLong("replyTimeoutMs", 130_000L)))
        .tls(TlsSettings.from(c, "bridge"))
        .build();
  }

  /** Settings by name, for {@link #from} and for code that embeds a bridge; unset components are 0, false or null. */
  public static Builder builder() {
    return new Builder();
  }

  /** The components by name, so that none is set by its position in a long argument list. */
  public static final class Builder {
    private boolean enabled;
    private String host;
    private int port;
    private long maxFrameBytes;
    private long maxBufferedBytes;
    private int maxConnections;
    private long idleTimeoutMs;
    private int maxInFlight;
    private long shutdownTimeoutMs;
    private SockJs sockjs;
    private TlsSettings tls;

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

    public Builder maxFrameBytes(long value) {
      maxFrameBytes = value;
      return this;
    }

    public Builder maxBufferedBytes(long value) {
      maxBufferedBytes = value;
      return this;
    }

    public Builder maxConnections(int value) {
      maxConnections = value;
      return this;
    }

    public Builder idleTimeoutMs(long value) {
      idleTimeoutMs = value;
      return this;
    }

    public Builder maxInFlight(int value) {
      maxInFlight = value;
      return this;
    }

    public Builder shutdownTimeoutMs(long value) {
      shutdownTimeoutMs = value;
      return this;
    }

    public Builder sockjs(SockJs value) {
      sockjs = value;
      return this;
    }

    public Builder tls(TlsSettings value) {
      tls = value;
      return this;
    }

    /** Checks every value (the record's constructor names the key of a bad one). */
    public BridgeSettings build() {
      return new BridgeSettings(enabled, host, port, maxFrameBytes, maxBufferedBytes, maxConnections, idleTimeoutMs,
          maxInFlight, shutdownTimeoutMs, sockjs, tls);
    }
  }
}
