package dev.pixelbus.bench.echo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/** The outcome of one echo-load run, as text and as one JSON line. Latencies are microseconds. */
public record LoadResult(LoadSettings settings, int connected, double connectSeconds, double seconds,
    long replies, double p50Micros, double p99Micros, double maxMicros, long mismatches,
    long closedConnections, long connectFailures, long serverReplies, Double serverCpuMicros,
    double clientCpuMicros, long ticksPerSecond, long succeeded, List<String> firstErrors) {

  public long errors() {
    return mismatches + closedConnections + connectFailures;
  }

  public double repliesPerSecond() {
    return seconds > 0 ? replies / seconds : 0;
  }

  public Double serverCpuMicrosPerReply() {
    return serverCpuMicros == null || replies == 0 ? null : serverCpuMicros / replies;
  }

  public Double clientCpuMicrosPerReply() {
    return replies == 0 ? null : clientCpuMicros / replies;
  }

  /** True when every connection connected, every reply was right and (idle) every line came back. */
  public boolean ok() {
    if (errors() > 0 || connected < settings.connections()) {
      return false;
    }
    return settings.idle() ? succeeded == settings.connections() : replies > 0;
  }

  public JsonObject toJson() {
    LoadSettings s = settings;
    JsonObject j = new JsonObject()
        .put("mode", s.idle() ? "idle" : "load")
        .put("host", s.host()).put("port", s.port())
        .put("connections", s.connections()).put("connected", connected).put("depth", s.depth())
        .put("threads", s.threads()).put("framing", s.framing().name().toLowerCase(Locale.ROOT))
        .put("connectSeconds", round(connectSeconds, 3))
        .put("errors", errors()).put("mismatches", mismatches).put("closedConnections", closedConnections)
        .put("connectFailures", connectFailures);
    if (s.idle()) {
      j.put("idleSeconds", s.idleSeconds()).put("succeeded", succeeded);
    } else {
      j.put("warmupSeconds", s.warmupSeconds()).put("seconds", round(seconds, 3)).put("replies", replies)
          .put("repliesPerSecond", round(repliesPerSecond(), 1))
          .put("p50Micros", round(p50Micros, 1)).put("p99Micros", round(p99Micros, 1))
          .put("maxMicros", round(maxMicros, 1))
          .put("serverReplies", serverReplies)
          .put("serverPid", s.serverPid())
          .put("serverCpuMicrosPerReply", serverCpuMicrosPerReply() == null ? null : round(serverCpuMicrosPerReply(), 3))
          .put("serverCpuPercent", serverCpuMicros == null ? null : round(100 * serverCpuMicros / 1e6 / seconds, 1))
          .put("clientCpuMicrosPerReply", clientCpuMicrosPerReply() == null ? null : round(clientCpuMicrosPerReply(), 3))
          .put("clientCpuPercent", seconds > 0 ? round(100 * clientCpuMicros / 1e6 / seconds, 1) : null)
          .put("clockTicksPerSecond", ticksPerSecond);
    }
    return j.put("ok", ok()).put("firstErrors", new JsonArray(List.copyOf(firstErrors)));
  }

  public String summary() {
    LoadSettings s = settings;
    StringBuilder b = new StringBuilder();
    String target = s.host() + ":" + s.port();
    b.append(String.format(Locale.ROOT, "echo-load %s: %d/%d connections in %.2f s (%d failed)%n", target, connected,
        s.connections(), connectSeconds, connectFailures));
    if (s.idle()) {
      b.append(String.format(Locale.ROOT, "  held idle %d s, then one line each: %d/%d replies right%n",
          s.idleSeconds(), succeeded, s.connections()));
    } else if (seconds > 0) {
      b.append(String.format(Locale.ROOT, "  %d line(s) in flight per connection, %s framing, %.0f s warm-up, %.2f s measured%n",
          s.depth(), s.framing().name().toLowerCase(Locale.ROOT), s.warmupSeconds(), seconds));
      b.append(String.format(Locale.ROOT, "  replies      %d  (%.0f /s)", replies, repliesPerSecond()));
      if (serverReplies != replies) {
        b.append(String.format(Locale.ROOT, "  in %d server replies (%.2f lines per reply)", serverReplies,
            serverReplies == 0 ? 0.0 : (double) replies / serverReplies));
      }
      b.append(String.format(Locale.ROOT, "%n  latency µs   p50 %.1f   p99 %.1f   max %.1f%n", p50Micros, p99Micros, maxMicros));
      if (serverCpuMicros != null) {
        b.append(String.format(Locale.ROOT, "  server CPU   %s µs/reply (%.0f %% of a core), pid %s%n",
            fmt(serverCpuMicrosPerReply()), 100 * serverCpuMicros / 1e6 / seconds, s.serverPid()));
      }
      b.append(String.format(Locale.ROOT, "  client CPU   %s µs/reply (%.0f %% of a core); /proc clock ticks: %d/s%n",
          fmt(clientCpuMicrosPerReply()), 100 * clientCpuMicros / 1e6 / seconds, ticksPerSecond));
    }
    b.append(String.format(Locale.ROOT, "  errors       %d (%d wrong replies, %d connections closed, %d connect failures)%n",
        errors(), mismatches, closedConnections, connectFailures));
    for (String e : firstErrors) {
      b.append("    ").append(e).append(System.lineSeparator());
    }
    return b.toString();
  }

  private static String fmt(Double d) {
    return d == null ? "-" : String.format(Locale.ROOT, "%.2f", d);
  }

  private static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
