package dev.pixelbus.common.auth;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bad tokens counted per client address over a sliding window, so that guessing is slow: past
 * {@code maxFailures} within {@code windowMs} an address is refused until its oldest failure leaves
 * the window. Bounded: at most {@link #MAX_ADDRESSES} addresses are remembered (the least recently
 * failed are forgotten first), each with at most {@code maxFailures} times. Thread-safe.
 */
public final class FailedAttempts {
  static final int MAX_ADDRESSES = 10_000;

  private final int maxFailures;
  private final long windowMs;
  private final Map<String, Deque<Long>> failures = new LinkedHashMap<>(16, 0.75f, true);

  public FailedAttempts(AuthSettings settings) {
    this(settings.maxFailures(), settings.failureWindowMs());
  }

  FailedAttempts(int maxFailures, long windowMs) {
    this.maxFailures = maxFailures;
    this.windowMs = windowMs;
  }

  /** How long {@code address} must still wait, in ms; 0 when it may try. */
  public synchronized long retryAfterMs(String address, long nowMs) {
    Deque<Long> times = failures.get(address);
    if (times == null) {
      return 0;
    }
    expire(times, nowMs);
    if (times.isEmpty()) {
      failures.remove(address);
      return 0;
    }
    return times.size() >= maxFailures ? times.peekFirst() + windowMs - nowMs : 0;
  }

  /** Counts a bad token from {@code address}. */
  public synchronized void failed(String address, long nowMs) {
    Deque<Long> times = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
    expire(times, nowMs);
    times.addLast(nowMs);
    while (times.size() > maxFailures) {
      times.removeFirst();
    }
    if (failures.size() > MAX_ADDRESSES) {
      Iterator<Map.Entry<String, Deque<Long>>> eldest = failures.entrySet().iterator();
      eldest.next();
      eldest.remove();
    }
  }

  synchronized int addresses() {
    return failures.size();
  }

  private void expire(Deque<Long> times, long nowMs) {
    while (!times.isEmpty() && times.peekFirst() <= nowMs - windowMs) {
      times.removeFirst();
    }
  }
}
