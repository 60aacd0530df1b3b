package dev.pixelbus.app.cli;

import java.util.Arrays;

/** Summaries of repeated timings. */
public final class Stats {
  private Stats() {
  }

  public static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
