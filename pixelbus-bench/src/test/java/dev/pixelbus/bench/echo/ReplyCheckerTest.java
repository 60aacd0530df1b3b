package dev.pixelbus.bench.echo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyCheckerTest {
  /** Records what the checker reports: "ok k" or "bad k: got". */
  static final class Log implements ReplyChecker.Listener {
    final List<String> events = new ArrayList<>();

    @Override
    public void reply(long k) {
      events.add("ok " + k);
    }

    @Override
    public void mismatch(long k, String expected, String got) {
      events.add("bad " + k + ": " + got);
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void linesAreCrlfTerminated() {
    assertArrayEquals(ascii("c7-0\r\n"), ReplyChecker.line(7, 0));
    assertArrayEquals(ascii("c12-3456\r\n"), ReplyChecker.line(12, 3456));
  }

  @Test
  void oneReplyPerRead() {
    ReplyChecker c = new ReplyChecker(3, ReplyChecker.Framing.LINE);
    Log log = new Log();
    c.feed(ascii("Echoed back: c3-0\r\n"), log);
    c.feed(ascii("Echoed back: c3-1\r\n"), log);
    assertEquals(List.of("ok 0", "ok 1"), log.events);
    assertEquals(2, c.expected());
    assertEquals(2, c.prefixes());
    assertFalse(c.partial());
  }

  @Test
  void aReplySplitAcrossReads() {
    ReplyChecker c = new ReplyChecker(3, ReplyChecker.Framing.LINE);
    Log log = new Log();
    for (String part : new String[] {"Ech", "oed back: c", "3-", "0\r", "\n"}) {
      c.feed(ascii(part), log);
      if (!part.equals("\n")) {
        assertTrue(log.events.isEmpty());
        assertTrue(c.partial());
      }
    }
    assertEquals(List.of("ok 0"), log.events);
    assertFalse(c.partial());
  }

  @Test
  void severalRepliesInOneReadAndOneCutInTwo() {
    ReplyChecker c = new ReplyChecker(0, ReplyChecker.Framing.LINE);
    Log log = new Log();
    c.feed(ascii("Echoed back: c0-0\r\nEchoed back: c0-1\r\nEchoed back: c0-2\r\nEchoed ba"), log);
    c.feed(ascii("ck: c0-3\r\n"), log);
    assertEquals(List.of("ok 0", "ok 1", "ok 2", "ok 3"), log.events);
  }

  @Test
  void outOfOrderWrongAndForeignRepliesAreMismatches() {
    ReplyChecker c = new ReplyChecker(5, ReplyChecker.Framing.LINE);
    Log log = new Log();
    c.feed(ascii("Echoed back: c5-1\r\n"   // out of order: line 0 expected
        + "Echoed back: c5-1\r\n"          // now right
        + "Echoed back: c6-2\r\n"          // another connection's line
        + "Echoed back: c5-3\n"            // LF only
        + "echoed back: c5-4\r\n"          // wrong prefix
        + "c5-5\r\n"                       // no prefix
        + "Echoed back: Echoed back: c5-6\r\n"
        + "Echoed back: c5-7\r\n"), log);
    assertEquals(List.of("bad 0: Echoed back: c5-1\\r\\n", "ok 1", "bad 2: Echoed back: c6-2\\r\\n",
        "bad 3: Echoed back: c5-3\\n", "bad 4: echoed back: c5-4\\r\\n", "bad 5: c5-5\\r\\n",
        "bad 6: Echoed back: Echoed back: c5-6\\r\\n", "ok 7"), log.events);
  }

  @Test
  void lineFramingRejectsTheCourseServersJoinedReply() {
    ReplyChecker c = new ReplyChecker(1, ReplyChecker.Framing.LINE);
    Log log = new Log();
    c.feed(ascii("Echoed back: c1-0\r\nc1-1\r\n"), log);
    assertEquals(List.of("ok 0", "bad 1: c1-1\\r\\n"), log.events);
  }

  @Test
  void perReadFramingAcceptsOnePrefixPerServerRead() {
    ReplyChecker c = new ReplyChecker(1, ReplyChecker.Framing.PER_READ);
    Log log = new Log();
    // The course server's replies to reads "c1-0\r\nc1-1\r\n", "c1-2\r\nc1", "-3\r\n", split by the client's reads anywhere.
    c.feed(ascii("Echoed back: c1-0\r\nc1-1\r\nEchoed back: c1-2\r"), log);
    c.feed(ascii("\nc1Echoed "), log);
    c.feed(ascii("back: -3\r\n"), log);
    assertEquals(List.of("ok 0", "ok 1", "ok 2", "ok 3"), log.events);
    assertEquals(3, c.prefixes());
  }

  @Test
  void perReadFramingStillNeedsThePrefixFirstAndTheLinesInOrder() {
    ReplyChecker c = new ReplyChecker(1, ReplyChecker.Framing.PER_READ);
    Log log = new Log();
    c.feed(ascii("c1-0\r\nEchoed back: c1-2\r\nc1-2\r\n"), log);
    assertEquals(List.of("bad 0: c1-0\\r\\n", "bad 1: c1-2\\r\\n", "ok 2"), log.events);
  }
}
