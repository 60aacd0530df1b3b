package dev.pixelbus.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelbus.api.Addresses;
import dev.pixelbus.bridge.BridgeSettings;
import dev.pixelbus.common.auth.AuthSettings;
import dev.pixelbus.image.ImageModule;
import dev.pixelbus.testkit.TestImages;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * The SockJS bridge at /eventbus on a real port, through SockJS's raw WebSocket transport
 * ({@code /eventbus/websocket}: one JSON frame per message, as the npm client sends them), and each of
 * its limits: frame size, connections, requests in flight, idle sockets, and the XHR transports' posts.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class SockJsBridgeTest {
  @TempDir
  Path tmp;
  Vertx vertx;
  int port;

  private void start(Vertx vertx, JsonObject bridge) {
    start(vertx, bridge, new JsonObject());
  }

  private void start(Vertx vertx, JsonObject bridge, JsonObject auth) {
    this.vertx = vertx;
    JsonObject conf = new JsonObject().put("image", new JsonObject().put("workers", 1)
        .put("inputRoots", new JsonArray().add(tmp.toString())).put("outputRoot", tmp.resolve("out").toString()));
    ImageModule.deploy(vertx, conf).await();
    HttpApiVerticle api = new HttpApiVerticle(new HttpSettings(true, "127.0.0.1", 0, 1 << 20, tmp.resolve("uploads"),
        60_000, 60_000), BridgeSettings.from(new JsonObject().put("bridge", bridge)),
        AuthSettings.from(new JsonObject().put("auth", auth)), false);
    vertx.deployVerticle(api).await();
    port = api.actualPort();
  }

  /** A raw SockJS WebSocket: what it receives, frame by frame, and whether the server closed it. */
  private final class Socket {
    /** Held: Vert.x 5 closes a client that is garbage-collected, and its sockets with it. */
    final WebSocketClient client;
    final WebSocket ws;
    final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    volatile boolean closed;

    Socket() {
      client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20)
          .setMaxMessageSize(16 << 20));
      // Handlers before the connect: the bridge may close a socket the moment it opens.
      ClientWebSocket socket = client.webSocket();
      socket.handler(data -> frames.add(new JsonObject(data))); // the bridge answers in binary frames
      socket.closeHandler(v -> closed = true);
      socket.connect(port, "127.0.0.1", "/eventbus/websocket").await();
      ws = socket;
    }

    Socket send(String address, Object body, String replyAddress) {
      return send(address, body, replyAddress, null);
    }

    Socket send(String address, Object body, String replyAddress, String authorization) {
      JsonObject frame = new JsonObject().put("type", "send").put("address", address).put("body", body);
      if (authorization != null) {
        frame.put("headers", new JsonObject().put("authorization", authorization));
      }
      if (replyAddress != null) {
        frame.put("replyAddress", replyAddress);
      }
      ws.writeTextMessage(frame.encode()).await();
      return this;
    }

    JsonObject next() throws InterruptedException {
      JsonObject frame = frames.poll(30, TimeUnit.SECONDS);
      assertTrue(frame != null, "no frame from the bridge");
      return frame;
    }

    void awaitClosed() throws InterruptedException {
      for (int i = 0; i < 300 && !closed; i++) {
        Thread.sleep(20);
      }
      assertTrue(closed, "the bridge closed the socket");
    }
  }

  private static JsonObject inline(byte[] bytes) {
    return new JsonObject().put("input", new JsonObject().put("bytes", bytes));
  }

  @Test
  void repliesFailureCodesAndRefusalsReachTheirRequests(Vertx vertx) throws Exception {
    start(vertx, new JsonObject());
    Socket s = new Socket();
    // 127 KB of PNG, 170 KB of base64 in one frame: past Vert.x's default 64 KiB, within bridge.maxFrameBytes.
    JsonObject info = s.send("pixelbus.image.info", inline(TestImages.bytes(TestImages.ASTRONAUT_PNG)), "r1").next();
    assertEquals("rec", info.getString("type"), info.encode());
    assertEquals("r1", info.getString("address"));
    assertEquals(256, info.getJsonObject("body").getInteger("width"));
    JsonObject notAnImage = s.send("pixelbus.image.info", inline(new byte[] {1, 2, 3, 4}), "r2").next();
    assertEquals("err", notAnImage.getString("type"));
    assertEquals("r2", notAnImage.getString("address"));
    assertEquals(415, notAnImage.getInteger("failureCode"), notAnImage.encode());
    // An address of the image module's own: refused, and the request's callback hears it.
    JsonObject refused = s.send("pixelbus.image.batch.chunk", new JsonObject(), "r3").next();
    assertEquals("r3", refused.getString("address"), refused.encode());
    assertEquals(403, refused.getInteger("failureCode"));
    assertEquals("rejected", s.next().getString("body"), "and the bridge's own error, for onerror");
    // A pipeline, as a browser sends it: its steps, one decode, the last step's JSON.
    JsonObject piped = s.send("pixelbus.image.pipeline", inline(TestImages.bytes(TestImages.ASTRONAUT_PNG))
        .put("steps", new JsonArray().add(new JsonObject().put("op", "resize").put("width", 64)).add("faces")), "r5").next();
    assertEquals("r5", piped.getString("address"), piped.encode());
    assertEquals(2, piped.getJsonObject("body").getJsonObject("timings").getJsonArray("steps").size(), piped.encode());
    JsonObject badStep = s.send("pixelbus.image.pipeline", inline(TestImages.bytes(TestImages.ASTRONAUT_PNG))
        .put("steps", new JsonArray().add("emboss")), "r6").next();
    assertEquals(400, badStep.getInteger("failureCode"), badStep.encode());
    assertTrue(badStep.getString("message").startsWith("step 0 (emboss)"), badStep.encode());
    // The table a page builds its forms from, and an operation added through it.
    JsonObject table = s.send("pixelbus.image.ops", new JsonObject(), "r7").next().getJsonObject("body");
    assertTrue(table.getJsonArray("ops").stream().anyMatch(o -> ((JsonObject) o).getString("name").equals("sharpen")));
    JsonObject sharp = s.send("pixelbus.image.sharpen", inline(TestImages.bytes(TestImages.ASTRONAUT_PNG))
        .put("amount", 0.5), "r8").next();
    assertEquals(256, sharp.getJsonObject("body").getInteger("outputWidth"), sharp.encode());
    JsonObject stats = s.send("pixelbus.image.stats", new JsonObject(), "r4").next();
    assertEquals(1, stats.getJsonObject("body").getInteger("workers"), "the socket goes on");
  }

  @Test
  void aFrameOverTheLimitClosesItsSocketOnly(Vertx vertx) throws Exception {
    start(vertx, new JsonObject().put("maxFrameBytes", 64 << 10).put("maxBufferedBytes", 64 << 10));
    Socket big = new Socket();
    Socket other = new Socket();
    big.send("pixelbus.image.info", inline(new byte[100_000]), "r1");
    big.awaitClosed();
    assertEquals(1, other.send("pixelbus.image.stats", new JsonObject(), "r1").next().getJsonObject("body")
        .getInteger("workers"), "the other socket goes on");
    // The XHR transports post their frames: over the limit, 413 before the body is read.
    int status = WebClient.create(vertx).post(port, "127.0.0.1", "/eventbus/000/abcdefgh/xhr_send")
        .sendBuffer(Buffer.buffer(new byte[100_000])).await().statusCode();
    assertEquals(413, status);
  }

  @Test
  void pastMaxConnectionsANewSocketIsClosed(Vertx vertx) throws Exception {
    start(vertx, new JsonObject().put("maxConnections", 2));
    Socket a = new Socket();
    Socket b = new Socket();
    Socket c = new Socket();
    c.awaitClosed();
    assertEquals("rec", a.send("pixelbus.image.stats", new JsonObject(), "r").next().getString("type"));
    b.ws.close().await();
    Thread.sleep(200);
    Socket d = new Socket();
    assertEquals("rec", d.send("pixelbus.image.stats", new JsonObject(), "r").next().getString("type"),
        "a closed socket frees its place");
  }

  @Test
  void pastMaxInFlightTheNextRequestIsRefused(Vertx vertx) throws Exception {
    start(vertx, new JsonObject().put("maxInFlight", 2));
    // Face detection on noise with a fine scale step: seconds of work, so the first two stay in flight.
    Mat noise = new Mat(640, 640, CvType.CV_8UC3);
    Core.randu(noise, 0, 256);
    Imgcodecs.imwrite(tmp.resolve("noise.png").toString(), noise);
    noise.release();
    JsonObject slow = new JsonObject().put("input", "noise.png").put("scaleFactor", 1.02).put("minNeighbors", 0)
        .put("draw", false);
    Socket s = new Socket();
    s.send("pixelbus.image.faces", slow, "r1").send("pixelbus.image.faces", slow, "r2").send("pixelbus.image.stats",
        new JsonObject(), "r3");
    JsonObject refused = s.next();
    assertEquals("err", refused.getString("type"), refused.encode());
    assertEquals("max_handlers_reached", refused.getString("body"));
    List<String> answered = new ArrayList<>();
    answered.add(s.next().getString("address"));
    answered.add(s.next().getString("address"));
    assertTrue(answered.containsAll(List.of("r1", "r2")), answered.toString());
    assertTrue(Files.exists(tmp.resolve("noise.png")));
  }

  @Test
  void aSocketThatDoesNotPingIsClosed(Vertx vertx) throws Exception {
    start(vertx, new JsonObject().put("idleTimeoutMs", 300));
    Socket pinging = new Socket();
    Socket silent = new Socket();
    for (int i = 0; i < 8; i++) {
      pinging.ws.writeTextMessage(new JsonObject().put("type", "ping").encode()).await();
      Thread.sleep(100);
    }
    silent.awaitClosed();
    assertTrue(!pinging.closed, "a socket that pings stays");
  }

  @Test
  void withTokensEveryFrameCarriesOneAndNoTokenGoesOnTheBus(Vertx vertx) throws Exception {
    String token = "sockjs-token-0123456789abcdef";
    String infoOnly = "sockjs-info-only-0123456789abcdef";
    start(vertx, new JsonObject(), new JsonObject().put("tokens", new JsonArray().add(token)
        .add(new JsonObject().put("token", infoOnly).put("allow", new JsonArray().add("pixelbus.image.info")))));
    // Echo is not served here: a stand-in that answers with the headers the message arrived with.
    vertx.eventBus().consumer(Addresses.ECHO_STATS, m -> {
      JsonObject headers = new JsonObject();
      m.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
      m.reply(headers);
    });
    Socket s = new Socket();
    JsonObject none = s.send(Addresses.ECHO_STATS, new JsonObject(), "r1").next();
    assertEquals("r1", none.getString("address"), none.encode());
    assertEquals(401, none.getInteger("failureCode"));
    assertEquals("rejected", s.next().getString("body"), "then the bridge's own error, for onerror");
    JsonObject ok = s.send(Addresses.ECHO_STATS, new JsonObject(), "r2", "Bearer " + token).next();
    assertEquals("rec", ok.getString("type"), ok.encode());
    assertTrue(!ok.getJsonObject("body").containsKey("authorization"), "the token stays at the bridge: " + ok.encode());
    JsonObject scoped = s.send(Addresses.ECHO_STATS, new JsonObject(), "r3", "Bearer " + infoOnly).next();
    assertEquals(403, scoped.getInteger("failureCode"), "a token for one address used on another: " + scoped.encode());
    assertEquals("rejected", s.next().getString("body"));
    JsonObject wrong = s.send(Addresses.ECHO_STATS, new JsonObject(), "r4", "Bearer " + token + "x").next();
    assertEquals(401, wrong.getInteger("failureCode"));
    s.awaitClosed(); // the third frame without a good token
    Socket again = new Socket();
    assertEquals("rec", again.send(Addresses.ECHO_STATS, new JsonObject(), "r5", "Bearer " + token).next().getString("type"),
        "other sockets go on");
  }

  @Test
  void withoutTokensATokenSentAnywayStillStaysAtTheBridge(Vertx vertx) throws Exception {
    start(vertx, new JsonObject(), new JsonObject());
    vertx.eventBus().consumer(Addresses.ECHO_STATS, m -> {
      JsonObject headers = new JsonObject();
      m.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
      m.reply(headers);
    });
    JsonObject ok = new Socket().send(Addresses.ECHO_STATS, new JsonObject(), "r1", "Bearer a-token-0123456789abcdef").next();
    assertEquals("rec", ok.getString("type"), ok.encode());
    assertTrue(!ok.getJsonObject("body").containsKey("authorization"), "the token stays at the bridge: " + ok.encode());
  }
}
