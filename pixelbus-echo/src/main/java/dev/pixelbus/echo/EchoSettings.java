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

  /** Reads the {@code echo} section: each key, its default, and the component it sets, one per line. */
  public static EchoSettings from(JsonObject config) {
    JsonObject c = config.getJsonObject("echo", new JsonObject());
    int instances = c.getInteger("instances", 0);
    return builder()
        .enabled(c.getBoolean("enabled", true))
        .host(c.getString("host", "127.0.0.1"))
        .port(c.getInteger("port", 8888))
        .instances(instances <= 0 ? VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE : instances)
        .greeting(c.getString("greeting", ""))
        .closeAfterReply(c.getBoolean("closeAfterReply", false))
        .logMessages(c.getBoolean("logMessages", false))
        .telnet(c.getBoolean("telnet", true))
        .maxLineBytes(c.getInteger("maxLineBytes", 8192))
        .idleTimeoutMs(c.getLong("idleTimeoutMs", 300_000L))
        .maxConnections(c.getInteger("maxConnections", 10_000))
        .writeQueueBytes(c.getInteger("writeQueueBytes", 65_536))
        .shutdownTimeoutMs(c.getLong("shutdownTimeoutMs", 5_000L))
        .publicAccess(c.getBoolean("public", false))
        .maxConnectionsPerIp(c.getInteger("maxConnectionsPerIp", 100))
        .build();
  }

  /** Settings by name, for {@link #from} and for code that embeds the echo server; unset components are 0, false or null. */
  public static Builder builder() {
    return new Builder();
  }

  /** The components by name, so that none is set by its position in a long argument list. */
  public static final class Builder {
    private boolean enabled;
    private String host;
    private int port;
    private int instances;
    private String greeting;
    private boolean closeAfterReply;
    private boolean logMessages;
    private boolean telnet;
    private int maxLineBytes;
    private long idleTimeoutMs;
    private int maxConnections;
    private int writeQueueBytes;
    private long shutdownTimeoutMs;
    private boolean publicAccess;
    private int maxConnectionsPerIp;

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

    public Builder instances(int value) {
      instances = value;
      return this;
    }

    public Builder greeting(String value) {
      greeting = value;
      return this;
    }

    public Builder closeAfterReply(boolean value) {
      closeAfterReply = value;
      return this;
    }

    public Builder logMessages(boolean value) {
      logMessages = value;
      return this;
    }

    public Builder telnet(boolean value) {
      telnet = value;
      return this;
    }

    public Builder maxLineBytes(int value) {
      maxLineBytes = value;
      return this;
    }

    public Builder idleTimeoutMs(long value) {
      idleTimeoutMs = value;
      return this;
    }

    public Builder maxConnections(int value) {
      maxConnections = value;
      return this;
    }

    public Builder writeQueueBytes(int value) {
      writeQueueBytes = value;
      return this;
    }

    public Builder shutdownTimeoutMs(long value) {
      shutdownTimeoutMs = value;
      return this;
    }

    public Builder publicAccess(boolean value) {
      publicAccess = value;
      return this;
    }

    public Builder maxConnectionsPerIp(int value) {
      maxConnectionsPerIp = value;
      return this;
    }

    /** Checks every value (the record's constructor names the key of a bad one). */
    public EchoSettings build() {
      return new EchoSettings(enabled, host, port, instances, greeting, closeAfterReply, logMessages, telnet,
          maxLineBytes, idleTimeoutMs, maxConnections, writeQueueBytes, shutdownTimeoutMs, publicAccess,
          maxConnectionsPerIp);
    }
  }
}
