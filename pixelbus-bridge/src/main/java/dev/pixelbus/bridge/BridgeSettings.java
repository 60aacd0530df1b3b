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

  /** Reads the whole configuration's {@code bridge} section; every key has a default. */
  public static BridgeSettings from(JsonObject config) {
    JsonObject c = config.getJsonObject("bridge", new JsonObject());
    JsonObject sockjs = c.getJsonObject("sockjs", new JsonObject());
    return new BridgeSettings(c.getBoolean("enabled", true), c.getString("host", "127.0.0.1"), c.getInteger("port", 7000),
        c.getLong("maxFrameBytes", 32L << 20), c.getLong("maxBufferedBytes", 256L << 20), c.getInteger("maxConnections", 1000),
        c.getLong("idleTimeoutMs", 600_000L), c.getInteger("maxInFlight", 4096), c.getLong("shutdownTimeoutMs", 5000L),
        new SockJs(sockjs.getBoolean("enabled", true), sockjs.getLong("replyTimeoutMs", 130_000L)),
        TlsSettings.from(c, "bridge"));
  }
}
