package dev.pixelbus.echo;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The counters of one echo server, shared by its instances (each on its own event loop). */
public final class EchoCounters {
  private final AtomicInteger active = new AtomicInteger();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder lines = new LongAdder();
  private final LongAdder bytes = new LongAdder();
  private final LongAdder tooLong = new LongAdder();
  private final LongAdder idleClosed = new LongAdder();
  /** Open connections per remote address that is not loopback; an address leaves with its last connection. */
  private final ConcurrentHashMap<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();

  /** Takes a connection slot, or returns false when {@code max} are open (and counts the rejection). */
  boolean tryOpen(int max) {
    while (true) {
      int now = active.get();
      if (now >= max) {
        rejected.increment();
        return false;
      }
      if (active.compareAndSet(now, now + 1)) {
        accepted.increment();
        return true;
      }
    }
  }

  void closed() {
    active.decrementAndGet();
  }

  /**
   * Takes one of {@code address}'s {@code max} slots, or returns false when it has them all (and
   * counts the rejection). Call {@link #closedFrom} when the connection ends.
   */
  boolean tryOpenFrom(String address, int max) {
    boolean[] taken = {false};
    perAddress.compute(address, (a, n) -> {
      AtomicInteger count = n == null ? new AtomicInteger() : n;
      if (count.get() < max) {
        count.incrementAndGet();
        taken[0] = true;
      }
      return count.get() == 0 ? null : count;
    });
    if (!taken[0]) {
      rejected.increment();
    }
    return taken[0];
  }

  void closedFrom(String address) {
    perAddress.computeIfPresent(address, (a, n) -> n.decrementAndGet() == 0 ? null : n);
  }

  void echoed(int lineCount, long lineBytes) {
    if (lineCount > 0) {
      lines.add(lineCount);
      bytes.add(lineBytes);
    }
  }

  void tooLong() {
    tooLong.increment();
  }

  void idleClosed() {
    idleClosed.increment();
  }

  public int active() {
    return active.get();
  }

  /** The reply of {@code pixelbus.echo.stats}. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("active", active.get())
        .put("accepted", accepted.sum())
        .put("rejected", rejected.sum())
        .put("lines", lines.sum())
        .put("bytes", bytes.sum())
        .put("tooLong", tooLong.sum())
        .put("idleClosed", idleClosed.sum());
  }
}
