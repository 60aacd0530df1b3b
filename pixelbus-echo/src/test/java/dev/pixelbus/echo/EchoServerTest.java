package dev.pixelbus.echo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelbus.api.Addresses;
import dev.pixelbus.testkit.LineClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.junit5.VertxExtension;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The echo server on real sockets on 127.0.0.1. */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class EchoServerTest {

  static EchoSettings settings(Consumer<JsonObject> tweak) {
    JsonObject echo = new JsonObject().put("port", 0).put("instances", 2).put("greeting", "");
    tweak.accept(echo);
    return EchoSettings.from(new JsonObject().put("echo", echo));
  }

  static int start(Vertx vertx, EchoSettings settings) {
    EchoVerticle echo = new EchoVerticle(settings);
    vertx.deployVerticle(echo).await();
    return echo.port();
  }

  /** A blocking client, as telnet or a script would be. */
  @Test
  void echoesALineAndACrlfLine(Vertx vertx) throws Exception {
    int port = start(vertx, settings(c -> { }));
    try (LineClient c = new LineClient(port)) {
      assertEquals("Echoed back: hello\r\n", c.send("hello\n").line());
      assertEquals("Echoed back: hello there\r\n", c.send("hello there\r\n").line());
    }
  }

  /**
   * The per-address limit holds for clients beyond loopback: the test binds one of this machine's own
   * addresses that is not loopback, so its connections come from that address.
   */
  @Test
  void oneAddressBeyondLoopbackGetsAtMostMaxConnectionsPerIp(Vertx vertx) throws Exception {
    String own = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
        .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
        .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
        .map(InetAddress::getHostAddress).findFirst().orElse(null);
    Assumptions.assumeTrue(own != null, "this machine has no address beyond loopback");
    int port = start(vertx, settings(c -> c.put("host", own).put("maxConnectionsPerIp", 2)));
    try (LineClient a = new LineClient(own, port); LineClient b = new LineClient(own, port)) {
      assertEquals("Echoed back: a\r\n", a.send("a\n").line());
      assertEquals("Echoed back: b\r\n", b.send("b\n").line());
      try (LineClient third = new LineClient(own, port)) {
        assertEquals("error: too many connections from your address (2); try again later\r\n", third.line());
        assertTrue(third.closedByServer());
      }
      assertEquals("Echoed back: still\r\n", a.send("still\n").line(), "the first two go on");
    }
    for (int i = 0; i < 50; i++) { // the closes reach the server asynchronously
      try (LineClient again = new LineClient(own, port)) {
        String line = again.send("again\n").line();
        if (line.startsWith("Echoed back")) {
          return;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("once the two closed, their address could not connect again");
  }

  @Test
  void greetsWhenConfigured(Vertx vertx) throws Exception {
    int port = start(vertx, settings(c -> c.put("greeting", "hi from pixelbus")));
    try (LineClient c = new LineClient(port)) {
      assertEquals("hi from pixelbus\r\n", c.line());
      assertEquals("Echoed back: x\r\n", c.send("x\n").line());
    }
  }

  @Test
  void pipelinedLinesAndASplitLineEachGetOneReplyInOrder(Vertx vertx) throws Exception {
    int port = start(vertx, settings(c -> { }));
    try (LineClient c = new LineClient(port)) {
      c.send("one\ntwo\r\nthree\n");
      assertEquals("Echoed back: one\r\n", c.line());
      assertEquals("Echoed back: two\r\n", c.line());
      assertEquals("Echoed back: three\r\n", c.line());
      for (char ch : "split over many packets\r\n".toCharArray()) {
        c.send(String.valueOf(ch));
        Thread.sleep(2);
      }
      assertEquals("Echoed back: split over many packets\r\n", c.line());
    }
  }

  @Test
  void binaryAndInvalidUtf8BytesComeBackUnchanged(Vertx vertx) throws Exception {
    int port = start(vertx, settings(c -> c.put("telnet", false)));
    byte[] line = {(byte) 0xC3, (byte) 0x28, 0, 1, 2, (byte) 0x80, (byte) 0xFE, (byte) 0xFF, 0x7F, '\r', 'x'};
    try (LineClient c = new LineClient(port)) {
      c.send(line).send("\n");
      byte[] reply = c.line().getBytes(StandardCharsets.ISO_8859_1);
      byte[] expected = new ByteArrayOutputStream() {{
          writeBytes("Echoed back: ".getBytes(StandardCharsets.US_ASCII));
          writeBytes(line);
          writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }}.toByteArray();
      assertArrayEquals(expected, reply);
    }
  }

  @Test
  void aMegabyteLineGetsAnErrorAndTheServerKeepsServingOthers(Vertx vertx) throws Exception {
    int port = start(vertx, settings(c -> c.put("maxLineBytes", 8192)));
    try (LineClient hostile = new LineClient(port); LineClient other = new LineClient(port)) {
      byte[] megabyte = new byte[1 << 20];
      Arrays.fill(megabyte, (byte) 'a');
      try {
        hostile.send(megabyte);
      } catch (IOException closedMidWrite) {
        // the server closed while we were still sending: expected
      }
      assertEquals("error: line longer than 8192 bytes; closing\r\n", hostile.line());
      assertTrue(hostile.closedByServer());
      assertEquals("Echoed back: still here\r\n", other.send("still here\n").line());
    }
    JsonObject stats = stats(vertx);
    assertEquals(1, stats.getLong("tooLong"));
  }

  @Test
  void anIdleClientIsToldAndClosed(Vertx vertx) throws Exception {
    int port = start(vertx, settings(c -> c.put("idleTimeoutMs", 300)));
    try (LineClient c = new LineClient(port)) {
      assertEquals("Echoed back: a\r\n", c.send("a\n").line());
      long t0 = System.nanoTime();
      assertEquals("error: idle for 300 ms; closing\r\n", c.line());
      assertTrue(c.closedByServer());
      assertTrue(System.nanoTime() - t0 > 250_000_000L, "not before the timeout");
    }
    assertEquals(1, stats(vertx).getLong("idleClosed"));
  }

  @Test
  void theConnectionLimitTurnsTheNextClientAway(Vertx vertx) throws Exception {
    int port = start(vertx, settings(c -> c.put("maxConnections", 2)));
    try (LineClient a = new LineClient(port); LineClient b = new LineClient(port)) {
      a.send("a\n").line();
      b.send("b\n").line();
      try (LineClient c = new LineClient(port)) {
        assertEquals("error: server busy (2 connections); try again later\r\n", c.line());
        assertTrue(c.closedByServer());
      }
      assertEquals("Echoed back: a2\r\n", a.send("a2\n").line());
    }
    JsonObject stats = stats(vertx);
    assertEquals(1, stats.getLong("rejected"));
    // Slots come back when clients leave.
    waitFor(() -> stats(vertx).getInteger("active") == 0);
    try (LineClient d = new LineClient(port)) {
      assertEquals("Echoed back: d\r\n", d.send("d\n").line());
    }
  }

  @Test
  void closeAfterReplyIsTheCoursesExampleThree(Vertx vertx) throws Exception {
    int port = start(vertx, settings(c -> c.put("closeAfterReply", true)));
    try (LineClient c = new LineClient(port)) {
      assertEquals("Echoed back: only one\r\n", c.send("only one\n").line());
      assertTrue(c.closedByServer());
    }
  }

  @Test
  void quitAndEndOfInputSayGoodbye(Vertx vertx) throws Exception {
    int port = start(vertx, settings(c -> { }));
    try (LineClient c = new LineClient(port)) {
      c.send("a\nquit\n");
      assertEquals("Echoed back: a\r\n", c.line());
      assertEquals("Goodbye.\r\n", c.line());
      assertTrue(c.closedByServer());
    }
    try (LineClient c = new LineClient(port)) {
      c.send("b\n");
      assertEquals("Echoed back: b\r\n", c.line());
      c.send(new byte[] {4}); // Ctrl-D on an empty line, as a terminal sends it
      assertEquals("Goodbye.\r\n", c.line());
      assertTrue(c.closedByServer());
    }
    try (LineClient c = new LineClient(port)) {
      c.send("c\n");
      c.socket.shutdownOutput(); // EOF
      assertEquals("Echoed back: c\r\n", c.line());
      assertTrue(c.closedByServer());
    }
  }

  @Test
  void telnetNegotiationIsAnsweredNotEchoed(Vertx vertx) throws Exception {
    int port = start(vertx, settings(c -> { }));
    try (LineClient c = new LineClient(port)) {
      // What Debian's telnet sends for "hi" after asking for binary mode and sending its terminal type.
      c.send(new byte[] {(byte) 255, (byte) 253, 0, (byte) 255, (byte) 251, 24, (byte) 255, (byte) 250, 24, 0,
          'x', 't', 'e', 'r', 'm', (byte) 255, (byte) 240, 'h', 'i', '\r', '\n'});
      byte[] expected = {(byte) 255, (byte) 252, 0, (byte) 255, (byte) 254, 24};
      byte[] got = new byte[6];
      assertEquals(6, c.in.readNBytes(got, 0, 6));
      assertArrayEquals(expected, got);
      assertEquals("Echoed back: hi\r\n", c.line());
      c.send(new byte[] {(byte) 255, (byte) 244}); // IAC IP: what telnet sends for Ctrl-C
      assertEquals("Goodbye.\r\n", c.line());
      assertTrue(c.closedByServer());
    }
  }

  @Test
  void aClientThatNeverReadsIsPausedAndCostsBoundedMemory(Vertx vertx) throws Exception {
    int port = start(vertx, settings(c -> c.put("writeQueueBytes", 16 * 1024)));
    byte[] chunk = "0123456789012345678901234567890123456789012345678901234567890123\n".repeat(1024)
        .getBytes(StandardCharsets.US_ASCII); // 65 KB of lines
    AtomicLong written = new AtomicLong();
    try (LineClient greedy = new LineClient(port); LineClient other = new LineClient(port)) {
      Thread writer = new Thread(() -> {
        try {
          for (int i = 0; i < 2000; i++) { // would be 130 MB of input and 170 MB of replies
            greedy.out.write(chunk);
            written.addAndGet(chunk.length);
          }
        } catch (IOException e) {
          // closed at the end of the test
        }
      });
      writer.setDaemon(true);
      writer.start();
      waitFor(() -> !writer.isAlive() || stalled(written));
      assertTrue(writer.isAlive(), "the server stopped reading, so the writer blocks");
      assertTrue(written.get() < 2000L * chunk.length);
      long echoed = stats(vertx).getLong("bytes");
      // What the server took in is bounded by the socket buffers and its write queue, not by what was sent.
      assertTrue(echoed < 40L << 20, "echoed " + echoed);
      assertEquals("Echoed back: fine\r\n", other.send("fine\n").line());
    }
  }

  @Test
  void emptyLinesThatMakeFifteenTimesTheirBytesInRepliesAllComeBackInOrderWhenTheClientReadsLate(Vertx vertx)
      throws Exception {
    // 200,000 newlines: 3 MB of replies for 200 KB sent, while the client reads nothing. The server
    // echoes a slice at a time and waits for the client, so every reply still comes, once and in order.
    int port = start(vertx, settings(c -> c.put("writeQueueBytes", 16 * 1024).put("telnet", false)));
    int lines = 200_000;
    try (LineClient c = new LineClient(port)) {
      Thread writer = new Thread(() -> {
        try {
          byte[] nl = new byte[1000];
          Arrays.fill(nl, (byte) '\n');
          for (int i = 0; i < lines / nl.length; i++) {
            c.out.write(nl);
          }
          c.out.write("last\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      writer.setDaemon(true);
      writer.start();
      Thread.sleep(300); // the server meets a full write queue before anyone reads
      BufferedInputStream in = new BufferedInputStream(c.in, 1 << 16);
      byte[] expected = "Echoed back: \r\n".getBytes(StandardCharsets.US_ASCII);
      byte[] got = new byte[expected.length];
      for (int i = 0; i < lines; i++) {
        int n = in.readNBytes(got, 0, got.length);
        assertEquals(expected.length, n, "reply " + i);
        assertArrayEquals(expected, got, "reply " + i);
      }
      byte[] last = "Echoed back: last\r\n".getBytes(StandardCharsets.US_ASCII);
      assertArrayEquals(last, in.readNBytes(last.length));
      writer.join(10_000);
    }
    waitFor(() -> stats(vertx).getLong("lines") == lines + 1);
  }

  @Test
  void aClientThatReadsNothingIsCutAfterItsLastLineCannotLeave(Vertx vertx) throws Exception {
    // Its write queue is full, so the idle line cannot be written; the slot must come back anyway.
    int port = start(vertx, settings(c -> c.put("writeQueueBytes", 16 * 1024).put("idleTimeoutMs", 1500)));
    byte[] chunk = "0123456789012345678901234567890123456789012345678901234567890123\n".repeat(1024)
        .getBytes(StandardCharsets.US_ASCII);
    AtomicLong written = new AtomicLong();
    try (LineClient greedy = new LineClient(port)) {
      Thread writer = new Thread(() -> {
        try {
          for (int i = 0; i < 2000; i++) {
            greedy.out.write(chunk);
            written.addAndGet(chunk.length);
          }
        } catch (IOException e) {
          // the server cut it: the end of this test
        }
      });
      writer.setDaemon(true);
      writer.start();
      waitFor(() -> stalled(written));
      assertEquals(1, stats(vertx).getLong("active"));
      // idle after 1.5 s, its goodbye stuck behind unread replies, cut min(1.5 s, 5 s) later
      waitFor(() -> stats(vertx).getLong("active") == 0);
      assertEquals(1, stats(vertx).getLong("idleClosed"));
    }
  }

  @Test
  void aThousandClientsEachGetAHundredRepliesInOrder(Vertx vertx) throws Exception {
    int port = start(vertx, settings(c -> { }));
    NetClient client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(10_000));
    List<Future<Integer>> all = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      all.add(talk(client, port, i, 100));
    }
    int total = Future.all(all).await().<Integer>list().stream().mapToInt(Integer::intValue).sum();
    assertEquals(100_000, total);
    assertEquals(100_000L, stats(vertx).getLong("lines"));
  }

  /** Sends {@code lines} lines one after another and checks each reply; fails on the first wrong one. */
  private static Future<Integer> talk(NetClient client, int port, int id, int lines) {
    return client.connect(port, "127.0.0.1").compose(socket -> {
      Promise<Integer> done = Promise.promise();
      int[] next = {0};
      socket.handler(RecordParser.newDelimited("\n", reply -> {
        String expected = "Echoed back: c" + id + "-" + next[0] + "\r";
        if (!reply.toString(StandardCharsets.US_ASCII).equals(expected)) {
          done.tryFail("client " + id + " got '" + reply + "', expected '" + expected + "'");
          socket.close();
          return;
        }
        if (++next[0] == lines) {
          done.tryComplete(lines);
          socket.close();
        } else {
          socket.write("c" + id + "-" + next[0] + "\n");
        }
      }));
      socket.closeHandler(v -> done.tryFail("client " + id + " closed after " + next[0] + " replies"));
      socket.write("c" + id + "-0\n");
      return done.future();
    });
  }

  @Test
  void shutdownTellsConnectedClientsAndClosesThem(Vertx vertx) throws Exception {
    EchoVerticle echo = new EchoVerticle(settings(c -> c.put("shutdownTimeoutMs", 2000)));
    String id = vertx.deployVerticle(echo).await();
    try (LineClient a = new LineClient(echo.port()); LineClient b = new LineClient(echo.port())) {
      assertEquals("Echoed back: a\r\n", a.send("a\n").line());
      b.send("half a li"); // mid-line when the server stops
      waitFor(() -> stats(vertx).getLong("bytes") >= 1 && stats(vertx).getInteger("active") == 2);
      long t0 = System.nanoTime();
      vertx.undeploy(id).await();
      assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "the clients were told, not waited out");
      assertEquals("server shutting down; goodbye\r\n", a.line());
      assertTrue(a.closedByServer());
      assertEquals("server shutting down; goodbye\r\n", b.line());
      assertTrue(b.closedByServer());
    }
    assertThrowsConnect(echo.port());
  }

  private static void assertThrowsConnect(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      throw new AssertionError("still accepting on " + port);
    } catch (IOException expected) {
      // refused: it stopped accepting
    }
  }

  @Test
  void statsAreOnTheEventBus(Vertx vertx) throws Exception {
    int port = start(vertx, settings(c -> { }));
    try (LineClient c = new LineClient(port)) {
      c.send("12345\n").line();
      JsonObject stats = stats(vertx);
      assertEquals(1, stats.getInteger("active"));
      assertEquals(1, stats.getLong("lines"));
      assertEquals(5, stats.getLong("bytes"));
      assertEquals(port, stats.getInteger("port"));
    }
  }

  static JsonObject stats(Vertx vertx) {
    return vertx.eventBus().<JsonObject>request(Addresses.ECHO_STATS, null).await().body();
  }

  private static boolean stalled(AtomicLong written) {
    long before = written.get();
    try {
      Thread.sleep(300);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return before > 0 && written.get() == before;
  }

  /**
   * Waits up to 10 s for {@code condition}, and asserts what it last saw: a condition that samples over
   * time (stalled) must not be asked a second time, since a second sample can disagree with the first.
   */
  static void waitFor(BooleanSupplier condition) throws InterruptedException {
    boolean reached = condition.getAsBoolean();
    for (int i = 0; i < 200 && !reached; i++) {
      Thread.sleep(50);
      reached = condition.getAsBoolean();
    }
    assertTrue(reached, "condition not reached in 10 s");
  }
}
