package dev.pixelbus.echo;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
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
  /**
   * Open connections per remote address that is not loopback; an address leaves with its last connection.
   * Guarded by itself: a connection's open and close each hold it for one map update (not a line's echo), and
   * deciding and counting under one lock keeps two event loops from both taking an address's last slot.
   */
  private final Map<String, Integer> perAddress = new HashMap<>();

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
    synchronized (perAddress) {
      int open = perAddress.getOrDefault(address, 0);
      if (open >= max) {
        rejected.increment();
        return false;
      }
      perAddress.put(address, open + 1);
      return true;
    }
  }

  void closedFrom(String address) {
    synchronized (perAddress) {
      perAddress.computeIfPresent(address, (a, open) -> open == 1 ? null : open - 1);
    }
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
