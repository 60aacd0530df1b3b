package dev.pixelbus.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelbus.image.ImageModule;
import dev.pixelbus.testkit.TestImages;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/** The TCP bridge, spoken from plain Java sockets as the Python client speaks it: length-prefixed JSON frames. */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class BridgeTest {
  @TempDir
  Path tmp;
  int port;

  /** A bridge with the given {@code bridge} section over the defaults. */
  private static BridgeVerticle bridge(JsonObject section) {
    return new BridgeVerticle(BridgeSettings.from(new JsonObject().put("bridge", section)));
  }

  @BeforeEach
  void start(Vertx vertx) throws IOException {
    JsonObject conf = new JsonObject().put("image", new JsonObject().put("workers", 1)
        .put("inputRoots", new JsonArray().add(tmp.toString())).put("outputRoot", tmp.resolve("out").toString()));
    ImageModule.deploy(vertx, conf).await();
    BridgeVerticle bridge = bridge(new JsonObject().put("port", 0).put("maxFrameBytes", 1 << 20));
    bridgeId = vertx.deployVerticle(bridge).await();
    port = bridge.actualPort();
  }

  String bridgeId;

  @Test
  void shutdownAnswersTheRequestsInFlightThenCloses(Vertx vertx) throws Exception {
    String png = Base64.getEncoder().encodeToString(TestImages.bytes(TestImages.ASTRONAUT_PNG));
    try (Frames c = new Frames(port)) {
      for (int i = 0; i < 3; i++) {
        c.send(send("pixelbus.image.faces", new JsonObject().put("input", new JsonObject().put("bytes", png))
            .put("scaleFactor", 1.05)).put("replyAddress", "r" + i));
      }
      c.send(new JsonObject().put("type", "ping"));
      assertEquals("pong", c.read().getString("type"), "the three requests reached the bridge");
      Future<Void> stopped = vertx.undeploy(bridgeId);
      for (int i = 0; i < 3; i++) {
        JsonObject reply = c.read();
        assertEquals("message", reply.getString("type"), reply.encode());
        assertEquals("r" + i, reply.getString("address"));
        assertTrue(reply.getJsonObject("body").getJsonArray("faces").size() >= 1, reply.encode());
      }
      JsonObject bye = c.read();
      assertEquals(503, bye.getInteger("code"), bye.encode());
      assertTrue(c.closedByServer());
      stopped.await();
    }
    try (Socket s = new Socket("127.0.0.1", port)) {
      throw new AssertionError("still accepting");
    } catch (IOException refused) {
      // the port is closed
    }
  }

  /** A bridge client: frames of a 4-byte big-endian length and UTF-8 JSON. */
  static final class Frames implements AutoCloseable {
    final Socket socket;
    final DataInputStream in;
    final DataOutputStream out;

    Frames(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(20_000);
      in = new DataInputStream(socket.getInputStream());
      out = new DataOutputStream(socket.getOutputStream());
    }

    void send(JsonObject frame) throws IOException {
      raw(frame.encode().getBytes(StandardCharsets.UTF_8));
    }

    void raw(byte[] json) throws IOException {
      out.writeInt(json.length);
      out.write(json);
      out.flush();
    }

    JsonObject read() throws IOException {
      int length = in.readInt();
      byte[] json = in.readNBytes(length);
      return new JsonObject(new String(json, StandardCharsets.UTF_8));
    }

    boolean closedByServer() throws IOException {
      try {
        return in.read() == -1;
      } catch (SocketException e) {
        return true;
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static JsonObject send(String address, JsonObject body) {
    return new JsonObject().put("type", "send").put("address", address).put("replyAddress", "r1").put("body", body)
        .put("headers", new JsonObject());
  }

  @Test
  void aPermittedAddressAnswers() throws Exception {
    String png = Base64.getEncoder().encodeToString(TestImages.bytes(TestImages.ASTRONAUT_PNG));
    try (Frames c = new Frames(port)) {
      c.send(send("pixelbus.image.info", new JsonObject().put("input", new JsonObject().put("bytes", png))));
      JsonObject reply = c.read();
      assertEquals("message", reply.getString("type"), reply.encode());
      assertEquals("r1", reply.getString("address"));
      assertEquals(256, reply.getJsonObject("body").getInteger("width"));

      c.send(send("pixelbus.image.facecrop", new JsonObject().put("input", new JsonObject().put("bytes", png))
          .put("width", 32).put("height", 32)));
      JsonObject face = c.read().getJsonObject("body");
      assertEquals(32, face.getInteger("outputWidth"), face.encode());
      assertEquals(53, face.getJsonObject("face").getInteger("w"), "the astronaut's face, as cv2 finds it");

      c.send(send("pixelbus.image.grayscale", new JsonObject().put("input", new JsonObject().put("bytes", "bm90IGFuIGltYWdl"))));
      JsonObject failure = c.read();
      assertEquals("err", failure.getString("type"), failure.encode());
      assertEquals(415, failure.getInteger("failureCode"), failure.encode());

      c.send(new JsonObject().put("type", "register").put("address", "pixelbus.image.batch.progress"));
      c.send(new JsonObject().put("type", "ping"));
      assertEquals("pong", c.read().getString("type"), "registering for progress is allowed (no error before the pong)");
    }
  }

  @Test
  void internalAndUnknownAddressesAreRefused() throws Exception {
    try (Frames c = new Frames(port)) {
      for (String address : new String[] {"pixelbus.image.batch.chunk", "pixelbus.image.worker.register", "other.address"}) {
        c.send(send(address, new JsonObject()));
        JsonObject refused = c.read();
        assertEquals("err", refused.getString("type"), address + ": " + refused.encode());
        assertEquals("access_denied", refused.getString("message"), refused.encode());
      }
      c.send(new JsonObject().put("type", "register").put("address", "pixelbus.image.info"));
      JsonObject refused = c.read();
      assertEquals("access_denied", refused.getString("message"), "inbound-only addresses cannot be listened to");
    }
  }

  @Test
  void anOversizedFrameIsRefusedBeforeItIsRead() throws Exception {
    try (Frames c = new Frames(port)) {
      c.out.writeInt(100 << 20); // claims 100 MB; nothing follows
      c.out.flush();
      JsonObject refused = c.read();
      assertEquals("err", refused.getString("type"));
      assertEquals(413, refused.getInteger("code"));
      assertTrue(refused.getString("message").contains("over the limit of 1048576 bytes"), refused.encode());
      assertTrue(c.closedByServer());
    }
    try (Frames c = new Frames(port)) {
      c.send(new JsonObject().put("type", "ping"));
      assertEquals("pong", c.read().getString("type"), "others are still served");
    }
  }

  @Test
  void malformedJsonGetsAnErrorAndTheConnectionGoesOn() throws Exception {
    try (Frames c = new Frames(port)) {
      c.raw("{not json".getBytes(StandardCharsets.UTF_8));
      JsonObject error = c.read();
      assertEquals("err", error.getString("type"), error.encode());
      assertEquals(400, error.getInteger("code"));
      assertTrue(error.getString("message").startsWith("malformed JSON"), error.encode());
      c.raw("[1, 2]".getBytes(StandardCharsets.UTF_8));
      assertEquals(400, c.read().getInteger("code"));
      c.send(new JsonObject().put("type", "ping"));
      assertEquals("pong", c.read().getString("type"));
    }
  }

  @Test
  void aReplyAddressTheFrontCannotFollowIsRefused() throws Exception {
    try (Frames c = new Frames(port)) {
      for (Object bad : new Object[] {"r".repeat(300), "quote\"d", 42, "\u6f22".repeat(200)}) {
        c.send(send("pixelbus.image.stats", new JsonObject()).put("replyAddress", bad));
        JsonObject refused = c.read();
        assertEquals(400, refused.getInteger("code"), refused.encode());
        assertTrue(refused.getString("message").startsWith("replyAddress must be"), refused.encode());
      }
      c.send(send("pixelbus.image.stats", new JsonObject()).put("headers", "x"));
      JsonObject badHeaders = c.read();
      assertEquals(400, badHeaders.getInteger("code"), badHeaders.encode());
      assertTrue(badHeaders.getString("message").contains("headers must be a JSON object"), badHeaders.encode());
      c.send(send("pixelbus.image.stats", new JsonObject()).put("replyAddress", "ok-1"));
      assertEquals("ok-1", c.read().getString("address"));
    }
  }

  @Test
  void shutdownDoesNotWaitForRequestsTheBridgeRefused(Vertx vertx) throws Exception {
    try (Frames c = new Frames(port)) {
      c.send(send("other.address", new JsonObject()).put("replyAddress", "never-answered"));
      assertEquals("access_denied", c.read().getString("message"));
      Future<Void> stopped = vertx.undeploy(bridgeId);
      // Nothing it passed on is waiting, so it is told at once, rather than cut without a word when the
      // shutdown timeout runs out.
      JsonObject bye = c.read();
      assertEquals(503, bye.getInteger("code"), bye.encode());
      assertTrue(c.closedByServer());
      stopped.await();
    }
  }

  @Test
  void theConnectionLimitTurnsTheNextClientAway(Vertx vertx) throws Exception {
    BridgeVerticle small = bridge(new JsonObject().put("port", 0).put("maxConnections", 2));
    vertx.deployVerticle(small).await();
    try (Frames a = new Frames(small.actualPort()); Frames b = new Frames(small.actualPort())) {
      a.send(new JsonObject().put("type", "ping"));
      b.send(new JsonObject().put("type", "ping"));
      assertEquals("pong", a.read().getString("type"));
      assertEquals("pong", b.read().getString("type"));
      try (Frames c = new Frames(small.actualPort())) {
        JsonObject busy = c.read();
        assertEquals(503, busy.getInteger("code"), busy.encode());
        assertTrue(busy.getString("message").contains("bridge.maxConnections"), busy.encode());
        assertTrue(c.closedByServer());
      }
    }
    // A slot comes back when a client leaves.
    Frames again = null;
    for (int i = 0; i < 100; i++) {
      try (Frames c = new Frames(small.actualPort())) {
        c.send(new JsonObject().put("type", "ping"));
        if ("pong".equals(c.read().getString("type"))) {
          again = c;
          break;
        }
      } catch (IOException closed) {
        Thread.sleep(50); // the close of the two above is still being counted
      }
    }
    assertTrue(again != null, "a new client is served once the others left");
  }

  @Test
  void aClientThatNeverReadsItsAnswersStopsBeingRead() throws Exception {
    // Without backpressure towards the client, the bridge would queue every answer on the heap.
    byte[] request = send("pixelbus.image.stats", new JsonObject()).encode().getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    DataOutputStream frames = new DataOutputStream(block);
    for (int i = 0; i < 500; i++) {
      frames.writeInt(request.length);
      frames.write(request);
    }
    byte[] bytes = block.toByteArray();
    long budget = 64L << 20;
    AtomicLong written = new AtomicLong();
    try (Frames greedy = new Frames(port)) {
      Thread writer = new Thread(() -> {
        try {
          while (written.get() < budget) {
            greedy.out.write(bytes);
            written.addAndGet(bytes.length);
          }
        } catch (IOException e) {
          // closed at the end of the test
        }
      });
      writer.setDaemon(true);
      writer.start();
      long last = -1;
      for (int i = 0; i < 600 && writer.isAlive(); i++) {
        Thread.sleep(500);
        long now = written.get();
        if (now == last) {
          break;
        }
        last = now;
      }
      assertTrue(writer.isAlive(), "the front stopped reading, so the writer blocks (wrote " + written.get() + " bytes)");
      assertTrue(written.get() < budget);
      try (Frames other = new Frames(port)) {
        other.send(new JsonObject().put("type", "ping"));
        assertEquals("pong", other.read().getString("type"), "others are still served");
      }
    }
  }

  @Test
  void theBridgeItselfListensWhereOnlyThisUserCanReachIt(Vertx vertx) throws Exception {
    BridgeVerticle b = bridge(new JsonObject().put("port", 0));
    String id = vertx.deployVerticle(b).await();
    SocketAddress inside = b.insideAddress();
    assertTrue(inside.isDomainSocket(), "a domain socket, not a loopback port any local process could use: " + inside);
    Path folder = Path.of(inside.path()).getParent();
    assertEquals("rwx------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(folder)));
    try (Frames c = new Frames(b.actualPort())) {
      c.send(new JsonObject().put("type", "ping"));
      assertEquals("pong", c.read().getString("type"), "the front reaches it");
    }
    vertx.undeploy(id).await();
    assertTrue(!Files.exists(folder), "removed when the bridge stops");
  }

  @Test
  void unfinishedFramesAreBoundedOverAllClients(Vertx vertx) throws Exception {
    BridgeVerticle b = bridge(new JsonObject().put("port", 0).put("maxFrameBytes", 1 << 20)
        .put("maxBufferedBytes", 1 << 20));
    vertx.deployVerticle(b).await();
    byte[] first = new JsonObject().put("type", "ping").put("pad", "x".repeat(900_000)).encode()
        .getBytes(StandardCharsets.UTF_8);
    try (Frames a = new Frames(b.actualPort()); Frames c = new Frames(b.actualPort())) {
      a.out.writeInt(first.length);
      a.out.write(first, 0, 800_000); // most of a frame, then a pause
      a.out.flush();
      Thread.sleep(300);
      c.out.writeInt(first.length);
      c.out.write(first, 0, 400_000); // together over the 1 MiB the front may hold
      c.out.flush();
      JsonObject busy = c.read();
      assertEquals(503, busy.getInteger("code"), busy.encode());
      assertTrue(busy.getString("message").contains("bridge.maxBufferedBytes"), busy.encode());
      assertTrue(c.closedByServer());
      a.out.write(first, 800_000, first.length - 800_000);
      a.out.flush();
      assertEquals("pong", a.read().getString("type"), "the first client's frame still goes through");
    }
  }

  /** The table of operations and an operation added through it, as a bridge client in any language reaches them. */
  @Test
  void theTableAndSharpenAnswerOverTheBridge() throws Exception {
    String png = Base64.getEncoder().encodeToString(TestImages.bytes(TestImages.ASTRONAUT_PNG));
    try (Frames c = new Frames(port)) {
      c.send(send("pixelbus.image.ops", new JsonObject()));
      JsonObject table = c.read().getJsonObject("body");
      assertTrue(table.getJsonArray("ops").stream().anyMatch(o -> ((JsonObject) o).getString("name").equals("sharpen")),
          table.encode());
      c.send(send("pixelbus.image.sharpen", new JsonObject().put("input", new JsonObject().put("bytes", png))
          .put("sigma", 2.5).put("amount", 0.6)));
      JsonObject sharp = c.read().getJsonObject("body");
      Mat m = Imgcodecs.imdecode(new MatOfByte(sharp.getBinary("image")), Imgcodecs.IMREAD_UNCHANGED);
      try {
        assertEquals(TestImages.golden().getJsonObject("images").getJsonObject(TestImages.ASTRONAUT_PNG)
            .getJsonObject("geometry").getJsonObject("sharpen sigma 2.5 amount 0.6").getString("sha256"), TestImages.sha256(m),
            "cv2's pixels");
      } finally {
        m.release();
      }
    }
  }
}
