package dev.pixelbus.bench.echo;

/**
 * A log-linear histogram of non-negative values (nanoseconds here): exact below 128, then 64
 * buckets per power of two, so a reported percentile is within 1/64 (1.6 %) of the true value.
 * 3,712 counters cover every long. Not thread-safe: one per event loop, then {@link #add}.
 */
public final class LatencyHistogram {
  private static final int SUB_BITS = 6;
  private static final int SUB = 1 << SUB_BITS;
  private static final int BUCKETS = (64 - SUB_BITS) * SUB;

  private final long[] counts = new long[BUCKETS];
  private long total;
  private long max;

  public void record(long value) {
    long v = Math.max(0, value);
    counts[index(v)]++;
    total++;
    if (v > max) {
      max = v;
    }
  }

  public void add(LatencyHistogram other) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
    max = Math.max(max, other.max);
  }

  public LatencyHistogram copy() {
    LatencyHistogram h = new LatencyHistogram();
    h.add(this);
    return h;
  }

  public long count() {
    return total;
  }

  /** The largest value recorded, exactly; 0 when empty. */
  public long max() {
    return max;
  }

  /**
   * The value at percentile p (0 < p ≤ 100): the highest value of the bucket that holds the
   * ceil(p/100 × count)-th smallest recorded value, capped at {@link #max}; 0 when empty.
   */
  public long percentile(double p) {
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(p / 100.0 * total));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(max, highest(i));
      }
    }
    return max;
  }

  static int index(long v) {
    if (v < 2 * SUB) {
      return (int) v;
    }
    int shift = 63 - Long.numberOfLeadingZeros(v) - SUB_BITS;
    return (shift << SUB_BITS) + (int) (v >>> shift);
  }

  static long lowest(int index) {
    if (index < 2 * SUB) {
      return index;
    }
    int shift = (index >>> SUB_BITS) - 1;
    return (long) (index - (shift << SUB_BITS)) << shift;
  }

  static long highest(int index) {
    if (index < 2 * SUB) {
      return index;
    }
    int shift = (index >>> SUB_BITS) - 1;
    return lowest(index) + (1L << shift) - 1;
  }
}
