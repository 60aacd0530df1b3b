package dev.pixelbus.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelbus.api.Addresses;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What a caller may ask of each URL, over the bus against a server of the test's: names, digests, headers. */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class FetchOptionsTest {
  static final byte[] SMALL = FetchTest.bytes(32 * 1024, 7);
  static final byte[] LARGE = FetchTest.bytes(3 << 20, 8); // over fetch.smallBodyBytes: streamed

  @TempDir
  Path tmp;
  Vertx vertx;
  int port;
  /** The headers of each request the server saw, by path. */
  final Map<String, MultiMap> seen = new ConcurrentHashMap<>();

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    port = vertx.createHttpServer().requestHandler(r -> {
      seen.put(r.path(), MultiMap.caseInsensitiveMultiMap().addAll(r.headers()));
      switch (r.path()) {
        case "/small.bin" -> r.response().end(Buffer.buffer(SMALL));
        case "/large.bin" -> r.response().end(Buffer.buffer(LARGE));
        case "/away" -> r.response().setStatusCode(302)
            .putHeader("Location", "http://loopback.pixelbus.test:" + r.localAddress().port() + "/landed").end();
        default -> r.response().end("page " + r.path());
      }
    }).listen(0, "127.0.0.1").await().actualPort();
    JsonObject conf = new JsonObject().put("fetch", new JsonObject().put("outputRoot", tmp.toString())
        .put("allowHosts", new JsonArray().add("127.0.0.1/32")).put("retries", 0));
    vertx.deployVerticle(new FetchVerticle(FetchSettings.from(conf), FetchVerticle.Destinations.GUARDED)).await();
  }

  private String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  private JsonObject fetch(JsonObject request) {
    return vertx.eventBus().<JsonObject>request(Addresses.FETCH, request.put("dir", "job")).await().body();
  }

  private static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  @Test
  void aRightChecksumKeepsTheFileAWrongOneFailsWith412AndKeepsNothing() throws Exception {
    JsonArray urls = new JsonArray()
        .add(new JsonObject().put("url", url("/small.bin")).put("checksum", "sha-256=" + sha256(SMALL)))
        .add(new JsonObject().put("url", url("/large.bin")).put("checksum", "sha-256=" + sha256(LARGE)).put("out", "big.bin"))
        .add(new JsonObject().put("url", url("/small.bin?2")).put("out", "bad-small.bin")
            .put("checksum", "sha-256=" + sha256(LARGE)))
        .add(new JsonObject().put("url", url("/large.bin?2")).put("out", "bad-large.bin")
            .put("checksum", "md5=00000000000000000000000000000000"));
    JsonObject reply = fetch(new JsonObject().put("urls", urls));
    assertEquals(2, reply.getJsonArray("files").size(), reply.encodePrettily());
    Path dir = tmp.resolve("job");
    assertTrue(Arrays.equals(SMALL, Files.readAllBytes(dir.resolve("small.bin"))));
    assertTrue(Arrays.equals(LARGE, Files.readAllBytes(dir.resolve("big.bin"))), "out= names the file");
    JsonArray failed = reply.getJsonArray("failed");
    assertEquals(2, failed.size());
    for (Object o : failed) {
      JsonObject f = (JsonObject) o;
      assertEquals(412, f.getInteger("code"), f.encode());
      assertTrue(f.getString("message").startsWith("checksum mismatch: "), f.encode());
    }
    assertTrue(failed.getJsonObject(0).getString("message").contains("got " + sha256(SMALL)), failed.encode());
    try (var files = Files.list(dir)) {
      assertEquals(List.of("big.bin", "small.bin"), files.map(p -> p.getFileName().toString()).sorted().toList(),
          "no file, no part file of a body with the wrong digest");
    }
  }

  @Test
  void headersGoWithEveryRequestButCredentialsNotToAnotherHost() {
    JsonObject reply = fetch(new JsonObject().put("headers", new JsonObject().put("Authorization", "Bearer s3cret")
            .put("X-Job", "j1"))
        .put("urls", new JsonArray().add(url("/page"))
            .add(new JsonObject().put("url", url("/away")).put("headers", new JsonObject().put("X-Item", "i1")))));
    assertEquals(2, reply.getJsonArray("files").size(), reply.encodePrettily());
    assertEquals("Bearer s3cret", seen.get("/page").get("Authorization"));
    assertEquals("j1", seen.get("/page").get("X-Job"));
    assertEquals("i1", seen.get("/away").get("X-Item"));
    assertEquals("j1", seen.get("/landed").get("X-Job"), "other headers follow the redirect");
    assertEquals("i1", seen.get("/landed").get("X-Item"));
    assertFalse(seen.get("/landed").contains("Authorization"), "credentials stay with the host they were given for");
  }

  @Test
  void anInputFileInAria2sFormatOnTheBus() throws Exception {
    String list = url("/small.bin") + "\n  out=renamed.bin\n  checksum=sha-256=" + sha256(SMALL) + "\n  header=X-From: list\n"
        + url("/page") + "\n";
    JsonObject reply = fetch(new JsonObject().put("inputFile", list));
    assertEquals(2, reply.getJsonArray("files").size(), reply.encodePrettily());
    assertTrue(Files.exists(tmp.resolve("job/renamed.bin")));
    assertEquals("list", seen.get("/small.bin").get("X-From"));
    ReplyException bad = assertFails(new JsonObject().put("inputFile", url("/a") + "\n  split=4\n"));
    assertEquals(400, bad.failureCode());
    assertEquals("input file, line 2: option split is not taken (out, checksum, header)", bad.getMessage());
    ReplyException managed = assertFails(new JsonObject().put("urls", new JsonArray().add(url("/a")))
        .put("headers", new JsonObject().put("Content-Length", "5")));
    assertTrue(managed.getMessage().contains("Content-Length is set by the client itself"), managed.getMessage());
  }

  private ReplyException assertFails(JsonObject request) {
    Throwable e = vertx.eventBus().request(Addresses.FETCH, request.put("dir", "job"))
        .transform(ar -> Future.succeededFuture(ar.cause())).await();
    return (ReplyException) e;
  }
}
