package dev.pixelbus.bench.echo;

/**
 * What one echo-load run does. {@code idleSeconds} &lt; 0 is the throughput run (warm-up, then the
 * measured period); ≥ 0 is the scale run (connect, hold idle, then one line per connection).
 */
public record LoadSettings(String host, int port, int connections, int depth, double warmupSeconds,
    double seconds, int threads, int connectConcurrency, int connectTimeoutMillis,
    ReplyChecker.Framing framing, String serverPid, int idleSeconds, double replyTimeoutSeconds) {

  public LoadSettings {
    if (connections < 1 || depth < 1 || threads < 1 || connectConcurrency < 1) {
      throw new IllegalArgumentException("connections, depth, threads and connect concurrency must be at least 1");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535: " + port);
    }
    if (warmupSeconds < 0 || seconds <= 0) {
      throw new IllegalArgumentException("the warm-up must be ≥ 0 s and the measured period > 0 s");
    }
  }

  public boolean idle() {
    return idleSeconds >= 0;
  }

  /** How many of the connections 0..C-1 shard {@code index} of {@code stride} owns (i ≡ index mod stride). */
  static int share(int connections, int index, int stride) {
    return connections / stride + (index < connections % stride ? 1 : 0);
  }
}
