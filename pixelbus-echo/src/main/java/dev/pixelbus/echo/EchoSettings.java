package dev.pixelbus.echo;

import static dev.pixelbus.common.Checks.require;

import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;

/**
 * The {@code echo} section of the configuration, checked at start.
 *
 * @param enabled          whether the server deploys the echo server at all
 * @param instances        NetServer verticle instances sharing the port; 0 in the file means one per event loop
 * @param greeting         the line sent on connect; empty for none (machine clients)
 * @param closeAfterReply  the course's example 3: close after the first reply
 * @param logMessages      log every line received (connections are logged either way)
 * @param telnet           read the input as Telnet (RFC 854); off means every byte is data
 * @param maxLineBytes     the longest line; a longer one gets an error and the connection closes
 * @param idleTimeoutMs    a connection with no input for this long gets a message and is closed
 * @param maxConnections   open connections at once, over all instances; the next gets "server busy"
 * @param writeQueueBytes  replies waiting for a slow reader before the server stops reading from it
 * @param shutdownTimeoutMs how long open connections get to close on shutdown before they are cut
 * @param publicAccess     {@code echo.public}: the operator means to serve echo beyond loopback, where it has
 *                         no credentials (protected mode refuses a non-loopback {@code host} without it)
 * @param maxConnectionsPerIp open connections from one address that is not loopback; the next gets "too many"
 */
public record EchoSettings(boolean enabled, String host, int port, int instances, String greeting,
                           boolean closeAfterReply, boolean logMessages, boolean telnet, int maxLineBytes,
                           long idleTimeoutMs, int maxConnections, int writeQueueBytes, long shutdownTimeoutMs,
                           boolean publicAccess, int maxConnectionsPerIp) {

  public EchoSettings {
    require(port >= 0 && port <= 65535, "echo.port must be 0..65535 (0 picks a free port)");
    require(instances >= 1, "echo.instances must be 0 (one per event loop) or more");
    require(maxLineBytes >= 1, "echo.maxLineBytes must be 1 or more");
    require(idleTimeoutMs > 0, "echo.idleTimeoutMs must be positive");
    require(maxConnections >= 1, "echo.maxConnections must be 1 or more");
    require(writeQueueBytes >= 1024, "echo.writeQueueBytes must be 1024 or more");
    require(shutdownTimeoutMs >= 0, "echo.shutdownTimeoutMs must be 0 or more");
    require(maxConnectionsPerIp >= 1, "echo.maxConnectionsPerIp must be 1 or more");
  }

  public static EchoSettings from(JsonObject config) {
    JsonObject c = config.getJsonObject("echo", new JsonObject());
    int instances = c.getInteger("instances", 0);
    return new EchoSettings(c.getBoolean("enabled", true), c.getString("host", "127.0.0.1"), c.getInteger("port", 8888),
        instances <= 0 ? VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE : instances,
        c.getString("greeting", ""), c.getBoolean("closeAfterReply", false), c.getBoolean("logMessages", false),
        c.getBoolean("telnet", true), c.getInteger("maxLineBytes", 8192), c.getLong("idleTimeoutMs", 300_000L),
        c.getInteger("maxConnections", 10_000), c.getInteger("writeQueueBytes", 65_536),
        c.getLong("shutdownTimeoutMs", 5_000L), c.getBoolean("public", false), c.getInteger("maxConnectionsPerIp", 100));
  }
}
