package dev.pixelbus.grpc;

import io.vertx.core.json.JsonObject;

/**
 * The gRPC services' settings, from the {@code http} and {@code image} sections: gRPC is served on the HTTP API's
 * port and shares its limits, so it has one key of its own.
 *
 * @param enabled          {@code http.grpc.enabled}: whether the HTTP port answers gRPC and gRPC-Web (default true)
 * @param maxMessageBytes  the largest request message: {@code image.maxInputBytes} (the largest image a worker
 *                         takes) and room for the rest of the message; past it the call ends RESOURCE_EXHAUSTED
 *                         before the message is read whole
 * @param maxCallsInFlight calls at once ({@code http.maxInFlight}, counted apart from the HTTP requests); the next
 *                         ends RESOURCE_EXHAUSTED before its message is read, so at most this many messages are held
 * @param requestTimeoutMs how long an Apply may take when the caller sets no deadline ({@code http.requestTimeoutMs})
 * @param fetchTimeoutMs   the same for a Download, and for a Batch ({@code http.fetchTimeoutMs})
 */
public record GrpcSettings(boolean enabled, long maxMessageBytes, int maxCallsInFlight, long requestTimeoutMs,
                           long fetchTimeoutMs) {
  /** Steps, parameters, a URL: what a request holds beside its image. */
  static final long ROOM_FOR_THE_REST = 1 << 20;

  public GrpcSettings {
    if (maxMessageBytes < 1 || maxCallsInFlight < 1 || requestTimeoutMs < 1 || fetchTimeoutMs < 1) {
      throw new IllegalArgumentException("gRPC: image.maxInputBytes, http.maxInFlight, http.requestTimeoutMs and"
          + " http.fetchTimeoutMs must be positive");
    }
  }

  /** Reads {@code http.grpc.enabled} and the shared limits, with the configuration's defaults. */
  public static GrpcSettings from(JsonObject config) {
    JsonObject http = config.getJsonObject("http", new JsonObject());
    JsonObject image = config.getJsonObject("image", new JsonObject());
    JsonObject grpc = http.getJsonObject("grpc", new JsonObject());
    long maxInput = image.getLong("maxInputBytes", 256L << 20);
    return new GrpcSettings(grpc.getBoolean("enabled", true), Math.min(Integer.MAX_VALUE, maxInput + ROOM_FOR_THE_REST),
        http.getInteger("maxInFlight", 32), http.getLong("requestTimeoutMs", 130_000L),
        http.getLong("fetchTimeoutMs", 3_600_000L));
  }
}
