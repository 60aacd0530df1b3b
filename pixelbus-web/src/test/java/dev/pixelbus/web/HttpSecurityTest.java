package dev.pixelbus.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelbus.common.auth.AuthSettings;
import dev.pixelbus.common.auth.TlsSettings;
import dev.pixelbus.image.ImageModule;
import dev.pixelbus.testkit.TestImages;
import dev.pixelbus.testkit.TestTls;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP server as a hostile client meets it, on real sockets: tokens missing, wrong, in the wrong
 * header, out of their scope or guessed in a row; pages of other origins; request ids; oversized
 * headers; TLS with the right certificate, a wrong one, HTTP/2, and a certificate replaced while it runs.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class HttpSecurityTest {
  static final String TOKEN = "t0ken-for-the-http-tests-0123456789";
  static final String INFO_ONLY = "info-only-token-0123456789abcdef";

  @TempDir
  Path tmp;
  Vertx vertx;
  WebClient web;
  int port;

  private HttpApiVerticle start(Vertx vertx, JsonObject auth, TlsSettings tls, List<String> origins) {
    this.vertx = vertx;
    JsonObject conf = new JsonObject().put("image", new JsonObject().put("workers", 1)
        .put("inputRoots", new JsonArray().add(tmp.toString())).put("outputRoot", tmp.resolve("out").toString()));
    ImageModule.deploy(vertx, conf).await();
    HttpSettings http = HttpSettings.builder().enabled(true).host("127.0.0.1").port(0).maxBodyBytes(1 << 20)
        .uploadsDir(tmp.resolve("uploads")).requestTimeoutMs(60_000).fetchTimeoutMs(60_000).maxInFlight(32)
        .bodyTimeoutMs(60_000).tls(tls).allowedOrigins(origins).build();
    HttpApiVerticle api = new HttpApiVerticle(http, dev.pixelbus.bridge.BridgeSettings.from(new JsonObject()),
        AuthSettings.from(new JsonObject().put("auth", auth)), false);
    vertx.deployVerticle(api).await();
    port = api.actualPort();
    web = WebClient.create(vertx);
    return api;
  }

  private static JsonObject tokens(Object... entries) {
    return new JsonObject().put("tokens", new JsonArray(List.of(entries)));
  }

  private HttpResponse<Buffer> info(String authorization) {
    HttpRequest<Buffer> r = web.post(port, "127.0.0.1", "/v1/images/info");
    if (authorization != null) {
      r.putHeader("Authorization", authorization);
    }
    return r.sendBuffer(Buffer.buffer(TestImages.bytes(TestImages.ASTRONAUT_PNG))).await();
  }

  @Test
  void withTokensTheApiAndMetricsAskForOneAndHealthAndThePageDoNot(Vertx vertx) {
    start(vertx, tokens(TOKEN), TlsSettings.OFF, List.of());
    HttpResponse<Buffer> none = info(null);
    assertEquals(401, none.statusCode(), none.bodyAsString());
    assertEquals(401, none.bodyAsJsonObject().getInteger("code"));
    assertTrue(none.getHeader("WWW-Authenticate").startsWith("Bearer"), none.getHeader("WWW-Authenticate"));
    assertEquals(200, info("Bearer " + TOKEN).statusCode());
    assertEquals(401, info("Bearer " + TOKEN + "x").statusCode(), "a wrong token");
    assertTrue(info("Bearer wrong").getHeader("WWW-Authenticate").contains("invalid_token"));
    assertEquals(401, info("Basic " + TOKEN).statusCode(), "the token under another scheme");
    assertEquals(401, info(TOKEN).statusCode(), "the token without its scheme");
    HttpResponse<Buffer> otherHeader = web.post(port, "127.0.0.1", "/v1/images/info").putHeader("X-Api-Key", TOKEN)
        .sendBuffer(Buffer.buffer(TestImages.bytes(TestImages.ASTRONAUT_PNG))).await();
    assertEquals(401, otherHeader.statusCode(), "the token in another header");
    HttpResponse<Buffer> inQuery = web.post(port, "127.0.0.1", "/v1/images/info?access_token=" + TOKEN)
        .sendBuffer(Buffer.buffer(TestImages.bytes(TestImages.ASTRONAUT_PNG))).await();
    assertEquals(401, inQuery.statusCode(), "the token in the query");
    assertEquals(401, web.get(port, "127.0.0.1", "/metrics").send().await().statusCode());
    assertEquals(200, web.get(port, "127.0.0.1", "/metrics").putHeader("Authorization", "Bearer " + TOKEN).send().await()
        .statusCode());
    assertEquals(401, web.post(port, "127.0.0.1", "/v1/fetch").sendJson(new JsonArray().add("http://example.com/"))
        .await().statusCode());
    assertEquals(200, web.get(port, "127.0.0.1", "/health").send().await().statusCode());
    HttpResponse<Buffer> page = web.get(port, "127.0.0.1", "/").send().await();
    assertEquals(200, page.statusCode());
    assertTrue(page.bodyAsString().contains("pixelbus"));
  }

  @Test
  void aTokenCallsOnlyWhatItIsAllowed(Vertx vertx) {
    start(vertx, tokens(new JsonObject().put("token", INFO_ONLY).put("allow", new JsonArray().add("pixelbus.image.info"))),
        TlsSettings.OFF, List.of());
    assertEquals(200, info("Bearer " + INFO_ONLY).statusCode());
    HttpResponse<Buffer> gray = web.post(port, "127.0.0.1", "/v1/images/grayscale")
        .putHeader("Authorization", "Bearer " + INFO_ONLY).sendBuffer(Buffer.buffer(TestImages.bytes(TestImages.ASTRONAUT_PNG)))
        .await();
    assertEquals(403, gray.statusCode(), gray.bodyAsString());
    assertTrue(gray.bodyAsString().contains("pixelbus.image.grayscale"), gray.bodyAsString());
  }

  @Test
  void guessingTokensInARowIsRefusedForAWhile(Vertx vertx) {
    start(vertx, tokens(TOKEN).put("maxFailures", 5).put("failureWindowMs", 60_000), TlsSettings.OFF, List.of());
    for (int i = 0; i < 5; i++) {
      assertEquals(401, info("Bearer guess-" + i + "-0123456789abcdef").statusCode());
    }
    HttpResponse<Buffer> blocked = info("Bearer " + TOKEN);
    assertEquals(429, blocked.statusCode(), "even the right token waits: " + blocked.bodyAsString());
    int retryAfter = Integer.parseInt(blocked.getHeader("Retry-After"));
    assertTrue(retryAfter > 0 && retryAfter <= 60, "Retry-After " + retryAfter);
    assertEquals(200, web.get(port, "127.0.0.1", "/health").send().await().statusCode(), "health stays open");
  }

  @Test
  void pagesOfOtherOriginsAreRefusedUnlessAllowed(Vertx vertx) {
    start(vertx, new JsonObject(), TlsSettings.OFF, List.of("https://app.example.com"));
    HttpResponse<Buffer> evil = web.post(port, "127.0.0.1", "/v1/images/info").putHeader("Origin", "http://evil.example")
        .sendBuffer(Buffer.buffer(TestImages.bytes(TestImages.ASTRONAUT_PNG))).await();
    assertEquals(403, evil.statusCode(), evil.bodyAsString());
    assertTrue(evil.bodyAsString().contains("http.cors.allowedOrigins"));
    assertEquals(403, web.get(port, "127.0.0.1", "/eventbus/info").putHeader("Origin", "http://evil.example").send()
        .await().statusCode(), "nor may it open the bridge");
    HttpResponse<Buffer> same = web.post(port, "127.0.0.1", "/v1/images/info")
        .putHeader("Origin", "http://127.0.0.1:" + port)
        .sendBuffer(Buffer.buffer(TestImages.bytes(TestImages.ASTRONAUT_PNG))).await();
    assertEquals(200, same.statusCode(), "the server's own page");
    HttpResponse<Buffer> allowed = web.post(port, "127.0.0.1", "/v1/images/info")
        .putHeader("Origin", "https://app.example.com")
        .sendBuffer(Buffer.buffer(TestImages.bytes(TestImages.ASTRONAUT_PNG))).await();
    assertEquals(200, allowed.statusCode());
    assertEquals("https://app.example.com", allowed.getHeader("Access-Control-Allow-Origin"));
    HttpResponse<Buffer> preflight = web.request(HttpMethod.OPTIONS, port, "127.0.0.1", "/v1/images/info")
        .putHeader("Origin", "https://app.example.com").putHeader("Access-Control-Request-Method", "POST")
        .putHeader("Access-Control-Request-Headers", "authorization").send().await();
    assertEquals(204, preflight.statusCode());
    assertTrue(preflight.getHeader("Access-Control-Allow-Headers").toLowerCase().contains("authorization"));
  }

  @Test
  void requestIdsAreTakenOrMadeAndEchoed(Vertx vertx) {
    start(vertx, new JsonObject(), TlsSettings.OFF, List.of());
    assertEquals("abc-123", web.get(port, "127.0.0.1", "/health").putHeader("X-Request-Id", "abc-123").send().await()
        .getHeader("X-Request-Id"));
    String made = web.get(port, "127.0.0.1", "/health").putHeader("X-Request-Id", "bad id\"").send().await()
        .getHeader("X-Request-Id");
    assertNotNull(made);
    assertTrue(made.matches("[0-9a-f]{16}"), made);
    assertTrue(web.get(port, "127.0.0.1", "/no-such").send().await().getHeader("X-Request-Id").matches("[0-9a-f]{16}"));
  }

  @Test
  void oversizedHeadersAreRefusedAndTheServerGoesOn(Vertx vertx) throws Exception {
    start(vertx, tokens(TOKEN), TlsSettings.OFF, List.of());
    // A raw socket: Vert.x answers 431 and closes at once, which its own client may see as a close only.
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
      s.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + "x".repeat(20_000)
          + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String status = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
          java.nio.charset.StandardCharsets.US_ASCII)).readLine();
      assertEquals("HTTP/1.1 431 Request Header Fields Too Large", status);
    }
    assertEquals(200, info("Bearer " + TOKEN).statusCode());
  }

  private WebClient trusting(Path cert, boolean http2) {
    return WebClient.create(vertx, new WebClientOptions().setSsl(true).setTrustOptions(new PemTrustOptions()
        .addCertPath(cert.toString())).setUseAlpn(http2).setProtocolVersion(http2 ? HttpVersion.HTTP_2 : HttpVersion.HTTP_1_1)
        .setVerifyHost(true));
  }

  @Test
  void httpsWithThePemPairAndHttp2ByAlpn(Vertx vertx) {
    TestTls.Pair pair = TestTls.copy("server", tmp);
    TestTls.Pair other = TestTls.copy("other", tmp.resolve("other"));
    start(vertx, new JsonObject(), new TlsSettings(pair.cert().toString(), pair.key().toString(), 0), List.of());
    HttpResponse<Buffer> h1 = trusting(pair.cert(), false).get(port, "127.0.0.1", "/health").send().await();
    assertEquals(200, h1.statusCode());
    HttpResponse<Buffer> h2 = trusting(pair.cert(), true).get(port, "127.0.0.1", "/health").send().await();
    assertEquals(200, h2.statusCode());
    assertEquals(HttpVersion.HTTP_2, h2.version());
    Throwable wrong = assertThrows(Throwable.class, () -> trusting(other.cert(), false).get(port, "127.0.0.1", "/health")
        .send().await());
    assertTrue(String.valueOf(wrong).toLowerCase().contains("ssl") || String.valueOf(wrong).contains("certificat")
        || String.valueOf(wrong).contains("PKIX"), String.valueOf(wrong));
    assertThrows(Throwable.class, () -> web.get(port, "127.0.0.1", "/health").send().await(), "plain HTTP on the TLS port");
  }

  /** A refusal sent before the body is read is valid HTTP/2 (no Connection header), and the connection goes on. */
  @Test
  void overHttp2ARefusedUploadIsAnsweredAndTheConnectionServesTheNext(Vertx vertx) {
    TestTls.Pair pair = TestTls.copy("server", tmp);
    start(vertx, tokens(TOKEN), new TlsSettings(pair.cert().toString(), pair.key().toString(), 0), List.of());
    WebClient h2 = trusting(pair.cert(), true);
    Buffer image = Buffer.buffer(TestImages.bytes(TestImages.ASTRONAUT_PNG));
    HttpResponse<Buffer> refused = h2.post(port, "127.0.0.1", "/v1/images/info").sendBuffer(image).await();
    assertEquals(HttpVersion.HTTP_2, refused.version());
    assertEquals(401, refused.statusCode(), refused.bodyAsString());
    assertEquals(401, refused.bodyAsJsonObject().getInteger("code"));
    assertEquals(null, refused.getHeader("Connection"));
    HttpResponse<Buffer> ok = h2.post(port, "127.0.0.1", "/v1/images/info").putHeader("Authorization", "Bearer " + TOKEN)
        .sendBuffer(image).await();
    assertEquals(200, ok.statusCode(), ok.bodyAsString());
    assertEquals(256, ok.bodyAsJsonObject().getInteger("width"));
  }

  @Test
  void aCertificateThatCannotBeReadStopsTheStartWithItsPath(Vertx vertx) {
    Path missing = tmp.resolve("no-such-cert.pem");
    Throwable e = assertThrows(Throwable.class, () -> start(vertx, new JsonObject(),
        new TlsSettings(missing.toString(), tmp.resolve("no-such-key.pem").toString(), 0), List.of()));
    assertTrue(String.valueOf(e.getMessage()).contains(missing.toAbsolutePath().toString()), e.toString());
  }

  @Test
  void aReplacedCertificateIsServedWithoutARestart(Vertx vertx) throws Exception {
    TestTls.Pair server = TestTls.copy("server", tmp.resolve("server"));
    TestTls.Pair live = TestTls.copy("other", tmp.resolve("live"));
    start(vertx, new JsonObject(), new TlsSettings(live.cert().toString(), live.key().toString(), 100), List.of());
    WebClient client = trusting(server.cert(), false);
    assertThrows(Throwable.class, () -> client.get(port, "127.0.0.1", "/health").send().await());
    Files.copy(server.cert(), live.cert(), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(server.key(), live.key(), StandardCopyOption.REPLACE_EXISTING);
    // The modification time must differ from the old one: on a coarse clock the copy could share it.
    Files.setLastModifiedTime(live.cert(), java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
    int status = 0;
    for (int i = 0; i < 100 && status != 200; i++) {
      Thread.sleep(100);
      try {
        status = trusting(server.cert(), false).get(port, "127.0.0.1", "/health").send().await().statusCode();
      } catch (Exception notYet) {
        status = 0;
      }
    }
    assertEquals(200, status, "the new pair is served");
  }
}
