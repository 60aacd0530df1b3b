package dev.pixelbus.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelbus.api.Addresses;
import dev.pixelbus.common.auth.AuthSettings;
import dev.pixelbus.testkit.TestTls;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TCP bridge with {@code auth.tokens} and {@code bridge.tls}, from plain Java sockets: frames
 * without a token, with a wrong one, with one for another address; guessing across connections; the
 * token kept off the bus; TLS with the right certificate and a wrong one.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class BridgeSecurityTest {
  static final String TOKEN = "bridge-token-0123456789abcdef";
  static final String INFO_ONLY = "bridge-info-only-0123456789abcdef";

  @TempDir
  Path tmp;
  int port;

  private void start(Vertx vertx, JsonObject bridge, JsonObject auth) {
    // A stand-in for echo's stats: it answers with the headers its message arrived with.
    vertx.eventBus().consumer(Addresses.ECHO_STATS, m -> {
      JsonObject headers = new JsonObject();
      m.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
      m.reply(headers);
    });
    BridgeVerticle verticle = new BridgeVerticle(BridgeSettings.from(new JsonObject().put("bridge", bridge.put("port", 0))),
        AuthSettings.from(new JsonObject().put("auth", auth)));
    vertx.deployVerticle(verticle).await();
    port = verticle.actualPort();
  }

  private static JsonObject tokens() {
    return new JsonObject().put("tokens", new JsonArray().add(TOKEN)
        .add(new JsonObject().put("token", INFO_ONLY).put("allow", new JsonArray().add("pixelbus.image.info"))));
  }

  private static JsonObject send(String reply, String authorization) {
    JsonObject headers = new JsonObject();
    if (authorization != null) {
      headers.put("authorization", authorization);
    }
    return new JsonObject().put("type", "send").put("address", Addresses.ECHO_STATS).put("replyAddress", reply)
        .put("headers", headers).put("body", new JsonObject());
  }

  @Test
  void withoutTokensATokenSentAnywayStillStaysAtTheBridge(Vertx vertx) throws Exception {
    start(vertx, new JsonObject(), new JsonObject());
    try (BridgeTest.Frames c = new BridgeTest.Frames(port)) {
      c.send(send("r1", "Bearer " + TOKEN));
      JsonObject ok = c.read();
      assertEquals("message", ok.getString("type"), ok.encode());
      assertFalse(ok.getJsonObject("body").containsKey("authorization"), "no token on the bus: " + ok.encode());
    }
  }

  @Test
  void everyFrameNeedsTheTokenAndTheTokenStaysAtTheBridge(Vertx vertx) throws Exception {
    start(vertx, new JsonObject(), tokens());
    try (BridgeTest.Frames c = new BridgeTest.Frames(port)) {
      c.send(send("r1", "Bearer " + TOKEN));
      JsonObject ok = c.read();
      assertEquals("message", ok.getString("type"), ok.encode());
      assertFalse(ok.getJsonObject("body").containsKey("authorization"), "no token on the bus: " + ok.encode());
      c.send(send("r2", null));
      JsonObject none = c.read();
      assertEquals("r2", none.getString("address"), none.encode());
      assertEquals(401, none.getInteger("failureCode"));
      c.send(send("r3", "Bearer " + INFO_ONLY));
      JsonObject scoped = c.read();
      assertEquals(403, scoped.getInteger("failureCode"), "a token for one address used on another: " + scoped.encode());
      c.send(send("r4", "Bearer " + TOKEN));
      assertEquals("message", c.read().getString("type"), "a good frame after bad ones is served");
      c.send(new JsonObject().put("type", "register").put("address", Addresses.IMAGE_BATCH_PROGRESS));
      JsonObject register = c.read();
      assertEquals(401, register.getInteger("code"), "a register needs the token too: " + register.encode());
      assertTrue(c.closedByServer(), "the third frame without a good token closes the connection");
    }
    try (BridgeTest.Frames other = new BridgeTest.Frames(port)) {
      other.send(new JsonObject().put("type", "ping"));
      assertEquals("pong", other.read().getString("type"), "a ping needs no token; other clients go on");
    }
  }

  @Test
  void guessingAcrossConnectionsIsRefusedForAWhile(Vertx vertx) throws Exception {
    start(vertx, new JsonObject(), tokens().put("maxFailures", 4));
    for (int connection = 0; connection < 2; connection++) {
      try (BridgeTest.Frames c = new BridgeTest.Frames(port)) {
        for (int i = 0; i < 2; i++) {
          c.send(send("g" + i, "Bearer guess-" + connection + i + "-0123456789abcdef"));
          assertEquals(401, c.read().getInteger("failureCode"));
        }
      }
    }
    try (BridgeTest.Frames c = new BridgeTest.Frames(port)) {
      c.send(send("r1", "Bearer " + TOKEN));
      JsonObject blocked = c.read();
      assertEquals(429, blocked.getInteger("failureCode"), "even the right token waits: " + blocked.encode());
    }
  }

  private static SSLContext trusting(Path cert) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(cert)) {
      store.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return ssl;
  }

  @Test
  void tlsWithTheRightCertificateAndAWrongOne(Vertx vertx) throws Exception {
    TestTls.Pair server = TestTls.copy("server", tmp);
    TestTls.Pair other = TestTls.copy("other", tmp.resolve("other"));
    start(vertx, new JsonObject().put("tls", new JsonObject().put("certPath", server.cert().toString())
        .put("keyPath", server.key().toString())), tokens());
    try (SSLSocket s = (SSLSocket) trusting(server.cert()).getSocketFactory().createSocket("127.0.0.1", port)) {
      s.setSoTimeout(20_000);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      byte[] frame = send("r1", "Bearer " + TOKEN).encode().getBytes(StandardCharsets.UTF_8);
      out.writeInt(frame.length);
      out.write(frame);
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      byte[] reply = in.readNBytes(in.readInt());
      assertEquals("message", new JsonObject(new String(reply, StandardCharsets.UTF_8)).getString("type"));
    }
    assertThrows(SSLHandshakeException.class, () -> {
      try (SSLSocket s = (SSLSocket) trusting(other.cert()).getSocketFactory().createSocket("127.0.0.1", port)) {
        s.startHandshake();
      }
    });
    try (Socket plain = new Socket("127.0.0.1", port)) {
      plain.setSoTimeout(5_000);
      plain.getOutputStream().write(new byte[] {0, 0, 0, 2, '{', '}'});
      assertEquals(-1, readOrEnd(plain), "a plain client on the TLS port gets nothing it can read as a frame");
    }
  }

  private static int readOrEnd(Socket s) {
    try {
      byte[] buf = new byte[64];
      int n;
      while ((n = s.getInputStream().read(buf)) > 0) {
        if (buf[0] == 0 && n >= 4) {
          return n; // a frame's length prefix would start with 0
        }
      }
      return -1;
    } catch (IOException closed) {
      return -1;
    }
  }

  @Test
  void aCertificateThatCannotBeReadStopsTheStartWithItsPath(Vertx vertx) {
    Path missing = tmp.resolve("missing-cert.pem");
    Throwable e = assertThrows(Throwable.class, () -> start(vertx, new JsonObject().put("tls", new JsonObject()
        .put("certPath", missing.toString()).put("keyPath", tmp.resolve("missing-key.pem").toString())), tokens()));
    assertTrue(String.valueOf(e.getMessage()).contains(missing.toAbsolutePath().toString()), e.toString());
  }
}
