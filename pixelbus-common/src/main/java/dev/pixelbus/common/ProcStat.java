package dev.pixelbus.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's CPU time from /proc/PID/stat (Linux): utime and stime, fields 14 and 15, in clock
 * ticks. The command name (field 2) is in parentheses and may hold spaces or parentheses itself,
 * so fields are counted from the last ')'.
 */
public record ProcStat(long utimeTicks, long stimeTicks) {
  private static volatile long ticksPerSecond;

  public long totalTicks() {
    return utimeTicks + stimeTicks;
  }

  /** CPU time in microseconds between this (earlier) sample and a later one. */
  public double microsUntil(ProcStat later, long ticksPerSecond) {
    return (later.totalTicks() - totalTicks()) * 1e6 / ticksPerSecond;
  }

  public static ProcStat parse(String statLine) {
    int close = statLine.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("not a /proc/PID/stat line: " + statLine);
    }
    // After ')' come field 3 (state), 4, ...: field n is at index n - 3.
    String[] f = statLine.substring(close + 1).trim().split("\\s+");
    if (f.length < 13) {
      throw new IllegalArgumentException("too few fields in /proc/PID/stat: " + statLine);
    }
    return new ProcStat(Long.parseLong(f[14 - 3]), Long.parseLong(f[15 - 3]));
  }

  /** pid, or "self". */
  public static ProcStat read(String pid) throws IOException {
    return parse(Files.readString(Path.of("/proc", pid, "stat"), StandardCharsets.US_ASCII));
  }

  /** VmRSS in kB from the text of /proc/PID/status; -1 when missing. */
  public static long rssKb(String statusText) {
    for (String line : statusText.split("\n")) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.substring(6).replace("kB", "").trim());
      }
    }
    return -1;
  }

  /** Clock ticks per second from {@code getconf CLK_TCK}, asked once; 100 (Linux's USER_HZ) if that fails. */
  public static long ticksPerSecond() {
    long t = ticksPerSecond;
    if (t == 0) {
      t = 100;
      try {
        Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        if (p.waitFor() == 0 && out.matches("\\d+") && Long.parseLong(out) > 0) {
          t = Long.parseLong(out);
        }
      } catch (IOException | RuntimeException e) {
        // keep 100
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ticksPerSecond = t;
    }
    return t;
  }
}
