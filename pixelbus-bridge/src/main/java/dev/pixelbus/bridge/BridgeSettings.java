package dev.pixelbus.bridge;

import static dev.pixelbus.common.Checks.require;

import io.vertx.core.json.JsonObject;

/**
 * The {@code bridge} section of the configuration, checked at start.
 *
 * @param maxFrameBytes     the largest frame a client may send; a larger one gets an {@code err} frame and the close
 * @param maxBufferedBytes  unfinished frames held over all clients; the client that goes over gets 503 and is closed
 * @param maxConnections    clients at once; the next gets 503
 * @param idleTimeoutMs     a connection with no byte either way for this long is closed
 * @param shutdownTimeoutMs how long a stop waits for the answers of requests in flight
 */
public record BridgeSettings(boolean enabled, String host, int port, long maxFrameBytes, long maxBufferedBytes,
                             int maxConnections, long idleTimeoutMs, long shutdownTimeoutMs) {

  public BridgeSettings {
    require(port >= 0 && port <= 65535, "bridge.port must be 0..65535");
    require(maxFrameBytes > 0 && maxFrameBytes <= Integer.MAX_VALUE, "bridge.maxFrameBytes must be 1..2^31-1");
    require(maxBufferedBytes >= maxFrameBytes, "bridge.maxBufferedBytes must be at least bridge.maxFrameBytes");
    require(maxConnections >= 1, "bridge.maxConnections must be 1 or more");
    require(idleTimeoutMs > 0, "bridge.idleTimeoutMs must be positive");
    require(shutdownTimeoutMs >= 0, "bridge.shutdownTimeoutMs must be 0 or more");
  }

  /** Reads the whole configuration's {@code bridge} section; every key has a default. */
  public static BridgeSettings from(JsonObject config) {
    JsonObject c = config.getJsonObject("bridge", new JsonObject());
    return new BridgeSettings(c.getBoolean("enabled", true), c.getString("host", "127.0.0.1"), c.getInteger("port", 7000),
        c.getLong("maxFrameBytes", 32L << 20), c.getLong("maxBufferedBytes", 256L << 20), c.getInteger("maxConnections", 1000),
        c.getLong("idleTimeoutMs", 600_000L), c.getLong("shutdownTimeoutMs", 5000L));
  }
}
