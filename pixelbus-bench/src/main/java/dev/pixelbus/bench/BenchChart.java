package dev.pixelbus.bench;

import java.util.List;
import java.util.Locale;

/** Draws the bench results as an SVG: seconds (bars, left axis) and speedup (line, right axis) against workers. */
final class BenchChart {
  record Point(int workers, double seconds, double speedup) {
  }

  private static final int W = 640;
  private static final int H = 400;
  private static final int LEFT = 70;
  private static final int RIGHT = 70;
  private static final int TOP = 50;
  private static final int BOTTOM = 60;

  private BenchChart() {
  }

  static String svg(String title, List<Point> points, Double loopSeconds) {
    double maxSeconds = points.stream().mapToDouble(Point::seconds).max().orElse(1);
    if (loopSeconds != null) {
      maxSeconds = Math.max(maxSeconds, loopSeconds);
    }
    maxSeconds = niceCeiling(maxSeconds);
    int maxWorkers = points.stream().mapToInt(Point::workers).max().orElse(1);
    double maxSpeedup = niceCeiling(Math.max(maxWorkers, points.stream().mapToDouble(Point::speedup).max().orElse(1)));
    double plotW = W - LEFT - RIGHT;
    double plotH = H - TOP - BOTTOM;
    double slot = plotW / points.size();
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
        + "font-family=\"sans-serif\" font-size=\"12\">%n", W, H));
    s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", W, H));
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"15\" text-anchor=\"middle\">%s</text>%n",
        W / 2, escape(title)));
    for (int k = 0; k <= 4; k++) {
      double y = TOP + plotH - plotH * k / 4;
      s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
          LEFT, W - RIGHT, y, y));
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.3f</text>%n",
          LEFT - 6, y + 4, maxSeconds * k / 4));
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\">%.1f×</text>%n", W - RIGHT + 6, y + 4,
          maxSpeedup * k / 4));
    }
    StringBuilder line = new StringBuilder();
    StringBuilder ideal = new StringBuilder();
    for (int i = 0; i < points.size(); i++) {
      Point p = points.get(i);
      double cx = LEFT + slot * (i + 0.5);
      double bh = plotH * p.seconds() / maxSeconds;
      s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#4a7ebb\"/>%n",
          cx - slot * 0.3, TOP + plotH - bh, slot * 0.6, bh));
      s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#234\">%.4f</text>%n",
          cx, TOP + plotH - bh - 4, p.seconds()));
      s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n", cx,
          H - BOTTOM + 18, p.workers()));
      line.append(String.format(Locale.ROOT, "%.1f,%.1f ", cx, TOP + plotH - plotH * p.speedup() / maxSpeedup));
      ideal.append(String.format(Locale.ROOT, "%.1f,%.1f ", cx, TOP + plotH - plotH * p.workers() / maxSpeedup));
    }
    s.append(String.format("<polyline points=\"%s\" fill=\"none\" stroke=\"#999\" stroke-dasharray=\"4 4\"/>%n", ideal));
    s.append(String.format("<polyline points=\"%s\" fill=\"none\" stroke=\"#d9534f\" stroke-width=\"2.5\"/>%n", line));
    if (loopSeconds != null) {
      double y = TOP + plotH - plotH * loopSeconds / maxSeconds;
      s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#5cb85c\" "
          + "stroke-dasharray=\"6 3\"/>%n", LEFT, W - RIGHT, y, y));
    }
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">workers</text>%n",
        LEFT + (int) plotW / 2, H - BOTTOM + 38));
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#4a7ebb\">■ seconds (median)</text>"
        + "<text x=\"%d\" y=\"%d\" fill=\"#d9534f\">— speedup</text><text x=\"%d\" y=\"%d\" fill=\"#999\">- - ideal</text>"
        + "%s%n", LEFT, H - 8, LEFT + 150, H - 8, LEFT + 250, H - 8,
        loopSeconds == null ? "" : String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#5cb85c\">- - plain loop</text>",
            LEFT + 340, H - 8)));
    s.append("</svg>\n");
    return s.toString();
  }

  private static double niceCeiling(double v) {
    if (v <= 0) {
      return 1;
    }
    double mag = Math.pow(10, Math.floor(Math.log10(v)));
    for (double step : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
      if (step * mag >= v) {
        return step * mag;
      }
    }
    return 10 * mag;
  }

  private static String escape(String t) {
    return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
