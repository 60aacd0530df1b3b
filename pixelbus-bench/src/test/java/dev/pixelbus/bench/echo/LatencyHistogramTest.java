package dev.pixelbus.bench.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
  @Test
  void emptyIsZero() {
    LatencyHistogram h = new LatencyHistogram();
    assertEquals(0, h.count());
    assertEquals(0, h.percentile(50));
    assertEquals(0, h.max());
  }

  @Test
  void smallValuesAreExact() {
    LatencyHistogram h = new LatencyHistogram();
    for (int v = 1; v <= 100; v++) {
      h.record(v);
    }
    assertEquals(100, h.count());
    assertEquals(50, h.percentile(50));
    assertEquals(99, h.percentile(99));
    assertEquals(100, h.percentile(100));
    assertEquals(100, h.max());
  }

  @Test
  void largeValuesAreWithinOneBucket() {
    LatencyHistogram h = new LatencyHistogram();
    // 1..100,000 µs in ns: p50 is 50,000 µs, p99 99,000 µs, within 1/64.
    for (long v = 1; v <= 100_000; v++) {
      h.record(v * 1000);
    }
    assertWithin(50_000_000, h.percentile(50));
    assertWithin(99_000_000, h.percentile(99));
    assertEquals(100_000_000, h.max());
    assertEquals(100_000_000, h.percentile(100));
  }

  @Test
  void oneOutlierShowsInMaxAndNotInP99() {
    LatencyHistogram h = new LatencyHistogram();
    for (int i = 0; i < 999; i++) {
      h.record(40_000);
    }
    h.record(9_000_000);
    assertWithin(40_000, h.percentile(50));
    assertWithin(40_000, h.percentile(99));
    assertEquals(9_000_000, h.max());
    assertEquals(9_000_000, h.percentile(100));
  }

  @Test
  void bucketsTileTheLongsWithoutGapsOrOverlaps() {
    for (int i = 1; i < 58 * 64; i++) {
      assertEquals(LatencyHistogram.highest(i - 1) + 1, LatencyHistogram.lowest(i), "bucket " + i);
    }
    for (long v : new long[] {0, 1, 127, 128, 129, 255, 256, 1_000_003, Long.MAX_VALUE}) {
      int i = LatencyHistogram.index(v);
      assertTrue(LatencyHistogram.lowest(i) <= v && v <= LatencyHistogram.highest(i), "value " + v);
    }
    assertEquals(58 * 64 - 1, LatencyHistogram.index(Long.MAX_VALUE));
  }

  @Test
  void addMergesCountsAndMax() {
    LatencyHistogram a = new LatencyHistogram();
    LatencyHistogram b = new LatencyHistogram();
    a.record(10);
    b.record(20);
    b.record(30);
    a.add(b);
    assertEquals(3, a.count());
    assertEquals(30, a.max());
    assertEquals(20, a.percentile(50));
    assertEquals(2, b.count(), "the other is left as it was");
  }

  private static void assertWithin(long expected, long got) {
    assertTrue(Math.abs(got - expected) <= expected / 64 + 1, "expected about " + expected + ", got " + got);
  }
}
