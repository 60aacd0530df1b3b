package dev.pixelbus.fetch;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A job's rate limit ({@code limitRate}), shared by its downloads on every event loop: a token bucket
 * refilled at the rate, holding at most a fifth of a second of it. A download whose write takes the
 * bucket below zero reports its queue full, so the pipe pauses the response (TCP then slows the
 * server) until a refill wakes it on its own event loop.
 */
final class Throttle {
  static final long TICK_MS = 20;
  private final long rate;
  private final long capacity;
  private final LongSupplier nanos;
  private long tokens;
  private long last;
  private final List<Runnable> waiting = new ArrayList<>();

  Throttle(long bytesPerSecond, LongSupplier nanos) {
    this.rate = bytesPerSecond;
    this.capacity = Math.max(16 * 1024, bytesPerSecond / 5);
    this.nanos = nanos;
    this.last = nanos.getAsLong();
    this.tokens = capacity;
  }

  /** Starts the refills on {@code vertx}; returns the timer to cancel at the job's end. */
  long start(Vertx vertx) {
    return vertx.setPeriodic(TICK_MS, id -> wake());
  }

  synchronized void take(long bytes) {
    refill();
    tokens -= bytes;
  }

  synchronized boolean empty() {
    refill();
    return tokens < 0;
  }

  /** Runs {@code then} on the caller's context once the bucket holds tokens again. */
  void whenAvailable(Runnable then) {
    Context context = Vertx.currentContext();
    Runnable onContext = context == null ? then : () -> context.runOnContext(v -> then.run());
    synchronized (this) {
      refill();
      if (tokens >= 0) {
        onContext.run();
        return;
      }
      waiting.add(onContext);
    }
  }

  void wake() {
    List<Runnable> ready;
    synchronized (this) {
      refill();
      if (tokens < 0 || waiting.isEmpty()) {
        return;
      }
      ready = new ArrayList<>(waiting);
      waiting.clear();
    }
    ready.forEach(Runnable::run);
  }

  private void refill() {
    long now = nanos.getAsLong();
    long added = (long) ((now - last) / 1e9 * rate);
    if (added > 0) {
      tokens = Math.min(capacity, tokens + added);
      last = now;
    }
  }
}
