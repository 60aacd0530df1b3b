package dev.pixelbus.echo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelbus.echo.EchoSession.Outcome;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EchoSessionTest {
  private final ByteArrayOutputStream replies = new ByteArrayOutputStream();

  private Outcome feed(EchoSession session, byte... bytes) {
    Outcome outcome = session.feed(bytes, bytes.length);
    replies.write(session.output().bytes(), 0, session.output().length());
    return outcome;
  }

  private Outcome feed(EchoSession session, String ascii) {
    return feed(session, ascii.getBytes(StandardCharsets.ISO_8859_1));
  }

  private String replies() {
    return replies.toString(StandardCharsets.ISO_8859_1);
  }

  @Test
  void echoesLfAndCrlfLinesOneReplyEach() {
    EchoSession s = new EchoSession(100, true, null);
    assertEquals(Outcome.CONTINUE, feed(s, "one\ntwo\r\nthree"));
    assertEquals("Echoed back: one\r\nEchoed back: two\r\n", replies());
    assertEquals(2, s.output().lines());
    feed(s, "\r");
    feed(s, "\n");
    assertEquals("Echoed back: one\r\nEchoed back: two\r\nEchoed back: three\r\n", replies());
  }

  @Test
  void aLineSplitIntoSingleBytesGetsOneReply() {
    EchoSession s = new EchoSession(100, true, null);
    for (byte b : "split up\r\n".getBytes(StandardCharsets.US_ASCII)) {
      feed(s, b);
    }
    assertEquals("Echoed back: split up\r\n", replies());
  }

  @Test
  void binaryBytesComeBackUnchangedWithTelnetEscaping() {
    EchoSession s = new EchoSession(1000, true, null);
    byte[] data = new byte[256];
    for (int i = 0; i < 256; i++) {
      data[i] = (byte) i;
    }
    // What a Telnet client sends for those bytes: 255 doubled, CR as CR NUL, and LF ends the line.
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    for (byte b : data) {
      if (b == '\n' || b == 4) {
        continue; // LF ends a line; Ctrl-D on an empty line is end of input
      }
      wire.write(b);
      expected.write(b);
      if (b == (byte) 255) {
        wire.write(b);
        expected.write(b);
      } else if (b == '\r') {
        wire.write(0);
      }
    }
    wire.write('\n');
    assertEquals(Outcome.CONTINUE, feed(s, wire.toByteArray()));
    byte[] reply = replies.toByteArray();
    byte[] body = Arrays.copyOfRange(reply, EchoSession.PREFIX.length, reply.length - 2);
    assertArrayEquals(expected.toByteArray(), body);
  }

  @Test
  void rawModeEchoesEveryByte() {
    EchoSession s = new EchoSession(100, false, null);
    feed(s, (byte) 0xFF, (byte) 0xFB, (byte) 1, (byte) 0xC3, (byte) 0x28, (byte) '\n');
    assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xFB, 1, (byte) 0xC3, 0x28},
        Arrays.copyOfRange(replies.toByteArray(), EchoSession.PREFIX.length, replies.size() - 2));
  }

  @Test
  void refusesOptionsAnswersOnlyRequestsAndSkipsSubnegotiation() {
    EchoSession s = new EchoSession(100, true, null);
    byte iac = EchoSession.IAC;
    feed(s, iac, EchoSession.DO, (byte) 1, iac, EchoSession.WILL, (byte) 24, iac, EchoSession.WONT, (byte) 3,
        iac, EchoSession.DONT, (byte) 5, iac, EchoSession.SB, (byte) 24, (byte) 0, (byte) 'x', iac, EchoSession.SE,
        (byte) 'h', (byte) 'i', (byte) '\n');
    byte[] expected = new byte[] {iac, EchoSession.WONT, 1, iac, EchoSession.DONT, 24};
    byte[] got = replies.toByteArray();
    assertArrayEquals(expected, Arrays.copyOf(got, 6));
    assertEquals("Echoed back: hi\r\n", new String(got, 6, got.length - 6, StandardCharsets.ISO_8859_1));
  }

  @Test
  void areYouThereEraseCharAndEraseLine() {
    EchoSession s = new EchoSession(100, true, null);
    feed(s, (byte) 'a', (byte) 'b', EchoSession.IAC, EchoSession.EC, EchoSession.IAC, EchoSession.AYT, (byte) '\n');
    assertEquals("[pixelbus echo: yes]\r\nEchoed back: a\r\n", replies());
    replies.reset();
    feed(s, (byte) 'a', EchoSession.IAC, EchoSession.EL, (byte) 'z', (byte) '\n');
    assertEquals("Echoed back: z\r\n", replies());
  }

  @Test
  void quitExitCtrlDAndInterruptSayGoodbye() {
    for (String bye : new String[] {"quit\r\n", "  EXIT \n", "\u0004", "\u00ff\u00f4", "\u00ff\u00ec"}) {
      replies.reset();
      EchoSession s = new EchoSession(100, true, null);
      assertEquals(Outcome.GOODBYE, feed(s, "x\n" + bye), bye);
      assertEquals("Echoed back: x\r\nGoodbye.\r\n", replies(), bye);
    }
  }

  @Test
  void closeAfterReplyAnswersOnlyTheFirstLine() {
    EchoSession s = new EchoSession(100, true, null, 1);
    assertEquals(Outcome.LAST_REPLY, feed(s, "one\ntwo\n"));
    assertEquals("Echoed back: one\r\n", replies());
  }

  @Test
  void interruptAnswersTheTimingMarkBeforeTheGoodbye() {
    EchoSession s = new EchoSession(100, true, null);
    // Debian's telnet on Ctrl-C: IAC IP IAC DO TIMING-MARK (6), then it discards output until answered.
    assertEquals(Outcome.GOODBYE, feed(s, EchoSession.IAC, EchoSession.IP, EchoSession.IAC, EchoSession.DO, (byte) 6));
    assertEquals("\u00ff\u00fc\u0006Goodbye.\r\n", replies());
  }

  @Test
  void ctrlDInsideALineIsData() {
    EchoSession s = new EchoSession(100, true, null);
    assertEquals(Outcome.CONTINUE, feed(s, "a\u0004\n"));
    assertEquals("Echoed back: a\u0004\r\n", replies());
  }

  @Test
  void endOfInputEchoesThePartialLineThenSaysGoodbye() {
    EchoSession s = new EchoSession(100, true, null);
    feed(s, "last words");
    assertTrue(s.midLine());
    assertEquals(Outcome.GOODBYE, s.endOfInput());
    replies.write(s.output().bytes(), 0, s.output().length());
    assertEquals("Echoed back: last words\r\nGoodbye.\r\n", replies());
  }

  @Test
  void aLineOverTheLimitIsRefusedWithoutBufferingIt() {
    EchoSession s = new EchoSession(8, true, null);
    assertEquals(Outcome.CONTINUE, feed(s, "12345678\n"));
    replies.reset();
    byte[] huge = new byte[1 << 20];
    Arrays.fill(huge, (byte) 'x');
    assertEquals(Outcome.TOO_LONG, feed(s, huge));
    assertEquals("error: line longer than 8 bytes; closing\r\n", replies());
  }

  @Test
  void anEndlessSubnegotiationIsRefusedToo() {
    EchoSession s = new EchoSession(8, true, null);
    byte[] sb = new byte[100];
    sb[0] = EchoSession.IAC;
    sb[1] = EchoSession.SB;
    assertEquals(Outcome.TOO_LONG, feed(s, sb));
  }

  @Test
  void theListenerSeesEachLine() {
    StringBuilder seen = new StringBuilder();
    EchoSession s = new EchoSession(100, true, (b, n) -> seen.append(new String(b, 0, n, StandardCharsets.UTF_8)).append('|'));
    feed(s, "a\r\nbé\n".getBytes(StandardCharsets.UTF_8));
    assertEquals("a|bé|", seen.toString());
  }
}
