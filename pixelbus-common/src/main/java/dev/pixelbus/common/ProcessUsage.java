package dev.pixelbus.common;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's resident memory (from /proc, Linux) and CPU time; -1 where the platform does not say. */
public final class ProcessUsage {
  private ProcessUsage() {
  }

  public static long rssMb() {
    try {
      long kb = ProcStat.rssKb(Files.readString(Path.of("/proc/self/status")));
      return kb < 0 ? -1 : kb / 1024;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The JVM's CPU time (user + system, all threads) in nanoseconds. */
  public static long cpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }
}
