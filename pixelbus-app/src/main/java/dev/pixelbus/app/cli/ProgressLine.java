package dev.pixelbus.app.cli;

import dev.pixelbus.image.batch.BatchRunner;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Shows a long job's progress on stderr: a bar redrawn in place on a terminal, plain lines (at most
 * one a second) on a pipe, so logs and CI output stay readable.
 */
final class ProgressLine {
  private static final int WIDTH = 30;
  private final PrintStream out;
  private final boolean terminal;
  private final String label;
  private long lastLine;
  private boolean drawn;

  ProgressLine(PrintStream out, boolean terminal, String label) {
    this.out = out;
    this.terminal = terminal;
    this.label = label;
  }

  /**
   * Whether the progress line (written to stderr) goes to a terminal. {@code System.console()} looks
   * at stdin and stdout, not stderr: {@code 2>batch.log} would fill a log with redraws. On Linux,
   * where fd 2 leads says it; elsewhere the console is the best guess.
   */
  static boolean isTerminal() {
    if (System.getenv("CI") != null) {
      return false;
    }
    Path fd2 = Path.of("/proc/self/fd/2");
    if (Files.isSymbolicLink(fd2)) {
      try {
        String target = Files.readSymbolicLink(fd2).toString();
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
      } catch (IOException | UnsupportedOperationException e) {
        return false;
      }
    }
    return System.console() != null;
  }

  void show(BatchRunner.Progress p) {
    if (p == null) {
      return;
    }
    draw(render(p, terminal));
  }

  boolean terminal() {
    return terminal;
  }

  /** Redraws the line on a terminal; on a pipe, prints it if a second has passed since the last. */
  void draw(String text) {
    if (terminal) {
      out.print("\r" + text);
      drawn = true;
    } else if (System.nanoTime() - lastLine > 1_000_000_000L) {
      out.println(text);
      lastLine = System.nanoTime();
    }
  }

  /** "[#####-----]  50% ", or nothing when the total is unknown. */
  static String bar(long done, long total) {
    if (total <= 0) {
      return "";
    }
    int filled = (int) (WIDTH * done / total);
    return "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] "
        + String.format(Locale.ROOT, "%3d%% ", 100 * done / total);
  }

  void end() {
    if (terminal && drawn) {
      out.println();
    }
  }

  /** "[#####-----]  50% 200/400 images, 1 failed, 3210 img/s" (the bar only on a terminal). */
  String render(BatchRunner.Progress p, boolean bar) {
    double rate = p.seconds() > 0 ? p.done() / p.seconds() : 0;
    String total = p.listingDone() ? String.valueOf(p.listed()) : p.listed() + "+";
    StringBuilder s = new StringBuilder(label).append(": ");
    if (bar && p.listingDone()) {
      s.append(bar(p.done(), p.listed()));
    }
    s.append(p.done()).append('/').append(total).append(" images, ").append(p.failed()).append(" failed, ")
        .append(String.format(Locale.ROOT, "%.0f img/s", rate));
    if (bar) {
      s.append("   ");
    }
    return s.toString();
  }
}
