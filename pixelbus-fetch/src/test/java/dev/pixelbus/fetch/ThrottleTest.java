package dev.pixelbus.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The rate limit's bucket on a clock of the test's: no sleeping, no timing. */
class ThrottleTest {
  @Test
  void theBucketEmptiesAtTheRateAndWakesItsWaitersWhenRefilled() {
    AtomicLong now = new AtomicLong();
    Throttle t = new Throttle(1_000_000, now::get); // 1 MB/s: holds 200 KB
    assertFalse(t.empty());
    t.take(200_000);
    assertFalse(t.empty(), "exactly the capacity");
    t.take(100_000);
    assertTrue(t.empty());
    AtomicInteger woken = new AtomicInteger();
    t.whenAvailable(woken::incrementAndGet);
    t.wake();
    assertEquals(0, woken.get(), "not before the debt is paid");
    now.addAndGet(50_000_000); // 50 ms: 50 KB back, still 50 KB short
    t.wake();
    assertEquals(0, woken.get());
    now.addAndGet(60_000_000); // 110 ms in all: 10 KB to spare
    t.wake();
    assertEquals(1, woken.get());
    now.addAndGet(10_000_000_000L); // a long pause refills only up to the capacity
    t.take(200_001);
    assertTrue(t.empty());
  }
}
