package dev.pixelbus.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcStatTest {
  // A real line (python3 serving), fields 14 and 15 being utime 1234 and stime 567.
  static final String LINE = "4242 (python3) S 4100 4242 4100 34816 4242 4194304 1820 0 0 0 1234 567 0 0 20 0 1 0 "
      + "1585912 27394048 4721 18446744073709551615 1 1 0 0 0 0 0 16781312 2 0 0 0 17 1 0 0 0 0 0";

  @Test
  void utimeAndStimeAreFields14And15() {
    ProcStat p = ProcStat.parse(LINE);
    assertEquals(1234, p.utimeTicks());
    assertEquals(567, p.stimeTicks());
    assertEquals(1801, p.totalTicks());
  }

  @Test
  void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
    ProcStat p = ProcStat.parse(LINE.replace("(python3)", "(my (odd) name)"));
    assertEquals(1234, p.utimeTicks());
    assertEquals(567, p.stimeTicks());
  }

  @Test
  void microsBetweenTwoSamples() {
    ProcStat a = new ProcStat(100, 50);
    ProcStat b = new ProcStat(250, 100);
    assertEquals(2_000_000.0, a.microsUntil(b, 100), 1e-9);
  }

  @Test
  void rssFromStatus() {
    assertEquals(123456, ProcStat.rssKb("Name:\tjava\nVmPeak:\t  999 kB\nVmRSS:\t  123456 kB\nThreads:\t20\n"));
    assertEquals(-1, ProcStat.rssKb("Name:\tjava\n"));
  }

  @Test
  void readsItselfAndAGarbageLineFails() throws Exception {
    assertTrue(ProcStat.read("self").totalTicks() >= 0);
    assertTrue(ProcStat.ticksPerSecond() > 0);
    assertThrows(IllegalArgumentException.class, () -> ProcStat.parse("garbage"));
  }
}
