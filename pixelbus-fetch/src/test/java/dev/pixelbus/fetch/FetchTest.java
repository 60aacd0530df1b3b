package dev.pixelbus.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelbus.api.Addresses;
import dev.pixelbus.testkit.TestPorts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** pixelbus.fetch against an HTTP server started in the test: every file checked byte for byte. */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class FetchTest {
  static final byte[] SMALL = bytes(32 * 1024, 1);
  static final byte[] LARGE = bytes(8 << 20, 2);

  @TempDir
  Path tmp;
  Path downloads;
  int port;
  final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  Vertx vertx;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    downloads = tmp.resolve("downloads");
    HttpServer server = vertx.createHttpServer().requestHandler(this::serve);
    port = server.listen(0, "127.0.0.1").await().actualPort();
    JsonObject conf = new JsonObject().put("fetch", new JsonObject().put("outputRoot", downloads.toString())
        .put("idleTimeoutMs", 700).put("connectTimeoutMs", 2000).put("retries", 2).put("retryBaseMs", 10)
        .put("retryMaxMs", 50).put("maxFileBytes", 16 << 20).put("maxUrls", 50).put("maxConcurrency", 32).put("maxJobs", 2)
        .put("allowHosts", new JsonArray().add("127.0.0.1/32"))); // the test's server is on loopback: FetchGuardTest
    vertx.deployVerticle(new FetchVerticle(FetchSettings.from(conf), FetchVerticle.Destinations.GUARDED)).await();
  }

  private void serve(HttpServerRequest req) {
    String path = req.path();
    int hit = hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    HttpServerResponse res = req.response();
    switch (path) {
      case "/a/small.bin", "/b/small.bin", "/small.bin" -> res.putHeader("Content-Type", "application/octet-stream")
          .end(Buffer.buffer(SMALL));
      case "/page" -> res.putHeader("Content-Type", "text/html; charset=utf-8").end("<html>course</html>");
      case "/", "/..%2F..%2Fescape" -> res.putHeader("Content-Type", "text/plain").end("root " + path);
      case "/large.bin" -> streamSlowly(req, res);
      case "/early.bin" -> {
        res.putHeader("Content-Length", "1000").write(Buffer.buffer(bytes(500, 3)));
        req.connection().close();
      }
      case "/flaky.txt" -> res.setStatusCode(hit == 1 ? 500 : 200).end(hit == 1 ? "oops" : "second time lucky");
      case "/busy.txt" -> {
        if (hit == 1) {
          res.setStatusCode(429).putHeader("Retry-After", "1").end();
        } else {
          res.end("patience");
        }
      }
      case "/always500" -> res.setStatusCode(500).end("down");
      case "/r1" -> res.setStatusCode(302).putHeader("Location", "/r2").end();
      case "/r2" -> res.setStatusCode(301).putHeader("Location", "http://127.0.0.1:" + port + "/r3").end();
      case "/r3" -> res.putHeader("Content-Type", "text/plain").end("redirected");
      case "/to-ftp" -> res.setStatusCode(302).putHeader("Location", "ftp://127.0.0.1/file.txt").end();
      case "/loop1" -> res.setStatusCode(302).putHeader("Location", "/loop2").end();
      case "/loop2" -> res.setStatusCode(302).putHeader("Location", "/loop1").end();
      case "/slow-header" -> { } // never answers
      case "/huge-declared" -> res.putHeader("Content-Length", String.valueOf(5L << 30)).write("x");
      case "/huge-chunked" -> {
        res.setChunked(true);
        byte[] mb = new byte[1 << 20];
        for (int i = 0; i < 20; i++) {
          res.write(Buffer.buffer(mb));
        }
        res.end();
      }
      default -> {
        if (path.startsWith("/late/")) {
          // Answers after a pause, so that two jobs both claim the name before either has written it.
          int size = Integer.parseInt(req.getParam("size"));
          byte fill = Byte.parseByte(req.getParam("v"));
          byte[] body = new byte[size];
          Arrays.fill(body, fill);
          vertx.setTimer(300, id -> res.end(Buffer.buffer(body)));
        } else {
          res.setStatusCode(404).end("no such page");
        }
      }
    }
  }

  /** 8 MB in 64 KB pieces, a few ms apart, honouring backpressure. */
  private void streamSlowly(HttpServerRequest req, HttpServerResponse res) {
    res.putHeader("Content-Length", String.valueOf(LARGE.length));
    streamFrom(res, 0);
  }

  private void streamFrom(HttpServerResponse res, int offset) {
    if (offset >= LARGE.length) {
      res.end();
      return;
    }
    int n = Math.min(65536, LARGE.length - offset);
    res.write(Buffer.buffer(Arrays.copyOfRange(LARGE, offset, offset + n)));
    vertx.setTimer(2, id -> streamFrom(res, offset + n));
  }

  private String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  private JsonObject fetch(Vertx vertx, String dir, String... paths) {
    JsonArray urls = new JsonArray();
    for (String p : paths) {
      urls.add(p.contains("://") ? p : url(p));
    }
    return vertx.eventBus().<JsonObject>request(Addresses.FETCH, new JsonObject().put("urls", urls).put("dir", dir))
        .await().body();
  }

  private static Map<String, JsonObject> byUrl(JsonArray rows) {
    return rows.stream().map(o -> (JsonObject) o).collect(Collectors.toMap(o -> o.getString("url"), o -> o));
  }

  private void assertNoPartFiles() throws IOException {
    if (Files.exists(downloads)) {
      try (Stream<Path> all = Files.walk(downloads)) {
        List<Path> parts = all.filter(p -> p.toString().endsWith(".part")).toList();
        assertTrue(parts.isEmpty(), "left behind: " + parts);
      }
    }
  }

  @Test
  void smallAndLargeFilesArriveByteForByte(Vertx vertx) throws Exception {
    JsonObject reply = fetch(vertx, "run", "/small.bin", "/page", "/large.bin", "/");
    assertEquals(0, reply.getJsonArray("failed").size(), reply.encodePrettily());
    Path dir = downloads.resolve("run");
    assertArrayEquals(SMALL, Files.readAllBytes(dir.resolve("small.bin")));
    assertArrayEquals(LARGE, Files.readAllBytes(dir.resolve("large.bin")));
    assertEquals("<html>course</html>", Files.readString(dir.resolve("page.html")), "extension from Content-Type");
    assertEquals("root /", Files.readString(dir.resolve("index.html")));
    assertEquals(SMALL.length + LARGE.length + 19 + 6, reply.getLong("bytes"));
    Map<String, JsonObject> files = byUrl(reply.getJsonArray("files"));
    assertEquals(200, files.get(url("/large.bin")).getInteger("status"));
    assertNoPartFiles();
  }

  @Test
  void failuresAreReportedWithCodesAndLeaveNothingBehind(Vertx vertx) throws Exception {
    String dead = "http://127.0.0.1:" + TestPorts.unusedPort() + "/nothing.txt";
    JsonObject reply = fetch(vertx, "bad", "/missing.txt", "/early.bin", "/always500", "/loop1", "/slow-header",
        "/huge-declared", "/huge-chunked", dead, "ftp://127.0.0.1/file.txt", "file:///etc/passwd", "/to-ftp",
        "/small.bin");
    Map<String, JsonObject> failed = byUrl(reply.getJsonArray("failed"));
    assertEquals(11, failed.size(), reply.encodePrettily());
    assertEquals(400, failed.get(url("/to-ftp")).getInteger("code"), "a redirect is checked like a URL given");
    assertTrue(failed.get(url("/to-ftp")).getString("message").startsWith("redirect to ftp://127.0.0.1/file.txt: scheme ftp"),
        failed.get(url("/to-ftp")).encode());
    assertEquals(404, failed.get(url("/missing.txt")).getInteger("code"));
    assertEquals(1, hits.get("/missing.txt").get(), "a 404 is not retried");
    assertEquals(502, failed.get(url("/early.bin")).getInteger("code"));
    assertEquals(500, failed.get(url("/always500")).getInteger("code"));
    assertEquals(3, hits.get("/always500").get(), "one try and two retries");
    JsonObject loop = failed.get(url("/loop1"));
    assertEquals(502, loop.getInteger("code"));
    assertTrue(loop.getString("message").contains("redirect loop: " + url("/loop1") + " -> " + url("/loop2") + " -> "
        + url("/loop1")), loop.getString("message"));
    assertEquals(504, failed.get(url("/slow-header")).getInteger("code"));
    assertEquals(413, failed.get(url("/huge-declared")).getInteger("code"));
    assertTrue(failed.get(url("/huge-declared")).getString("message").contains("Content-Length 5368709120"));
    assertEquals(413, failed.get(url("/huge-chunked")).getInteger("code"));
    assertEquals(502, failed.get(dead).getInteger("code"));
    assertTrue(failed.get(dead).getString("message").startsWith("cannot connect"), failed.get(dead).encode());
    assertEquals(400, failed.get("ftp://127.0.0.1/file.txt").getInteger("code"));
    assertEquals(400, failed.get("file:///etc/passwd").getInteger("code"));
    Path dir = downloads.resolve("bad");
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(dir.resolve("small.bin")), files.toList(), "only the good file, nothing half-written");
    }
    assertNoPartFiles();
  }

  @Test
  void twoJobsIntoOneFolderNeverOverwriteEachOther(Vertx vertx) throws Exception {
    // Both jobs list the folder before either file exists, so each claims "small.bin" and "big.bin";
    // the second to finish takes the next name instead of replacing the first one's file.
    for (int size : new int[] {1000, 600_000}) { // in memory, then streamed (over fetch.smallBodyBytes)
      String name = size < 10_000 ? "small.bin" : "big.bin";
      String stem = name.substring(0, name.indexOf('.'));
      JsonObject one = new JsonObject().put("dir", "shared").put("urls",
          new JsonArray().add(url("/late/" + name + "?v=1&size=" + size)));
      JsonObject two = new JsonObject().put("dir", "shared").put("urls",
          new JsonArray().add(url("/late/" + name + "?v=2&size=" + size)));
      Future<Message<JsonObject>> a = vertx.eventBus().request(Addresses.FETCH, one);
      Future<Message<JsonObject>> b = vertx.eventBus().request(Addresses.FETCH, two);
      Future.all(a, b).await();
      assertEquals(0, a.result().body().getJsonArray("failed").size(), a.result().body().encodePrettily());
      assertEquals(0, b.result().body().getJsonArray("failed").size(), b.result().body().encodePrettily());
      Path dir = downloads.resolve("shared");
      Set<Byte> fills = new HashSet<>();
      for (String file : List.of(name, stem + "-1.bin")) {
        byte[] got = Files.readAllBytes(dir.resolve(file));
        assertEquals(size, got.length, file);
        for (byte x : got) {
          assertEquals(got[0], x, file + " holds one job's body only");
        }
        fills.add(got[0]);
      }
      assertEquals(Set.of((byte) 1, (byte) 2), fills, "each job's body in a file of its own");
      String saidA = a.result().body().getJsonArray("files").getJsonObject(0).getString("file");
      String saidB = b.result().body().getJsonArray("files").getJsonObject(0).getString("file");
      assertTrue(!saidA.equals(saidB), "each reply names its own file: " + saidA + ", " + saidB);
    }
    assertNoPartFiles();
  }

  @Test
  void aNoContentAnswerThatAnnouncesABodyFailsAndLeavesNoPartFile(Vertx vertx) throws Exception {
    // A 204 has no body whatever its Content-Length says; over fetch.smallBodyBytes the body is streamed,
    // and the pipe ends at once with 0 of 1,000,000 bytes.
    NetServer raw = vertx.createNetServer().connectHandler(socket -> socket.handler(b ->
        socket.write("HTTP/1.1 204 No Content\r\nContent-Length: 1000000\r\n\r\n")));
    int rawPort = raw.listen(0, "127.0.0.1").await().actualPort();
    JsonObject reply = fetch(vertx, "nocontent", "http://127.0.0.1:" + rawPort + "/empty.bin", "/small.bin");
    Map<String, JsonObject> failed = byUrl(reply.getJsonArray("failed"));
    JsonObject f = failed.get("http://127.0.0.1:" + rawPort + "/empty.bin");
    assertEquals(502, f.getInteger("code"), reply.encodePrettily());
    assertTrue(f.getString("message").contains("body ended after 0 of 1000000 bytes"), f.encode());
    assertNoPartFiles();
    try (Stream<Path> files = Files.list(downloads.resolve("nocontent"))) {
      assertEquals(List.of(downloads.resolve("nocontent").resolve("small.bin")), files.toList());
    }
  }

  @Test
  void retriesA500AndHonoursRetryAfter(Vertx vertx) throws Exception {
    JsonObject reply = fetch(vertx, "retry", "/flaky.txt", "/busy.txt");
    assertEquals(0, reply.getJsonArray("failed").size(), reply.encodePrettily());
    Map<String, JsonObject> files = byUrl(reply.getJsonArray("files"));
    assertEquals(2, files.get(url("/flaky.txt")).getInteger("attempts"));
    assertEquals(2, files.get(url("/busy.txt")).getInteger("attempts"));
    assertTrue(files.get(url("/busy.txt")).getDouble("millis") >= 900, "waited for Retry-After: 1");
    assertEquals("second time lucky", Files.readString(downloads.resolve("retry/flaky.txt")));
    assertEquals("patience", Files.readString(downloads.resolve("retry/busy.txt")));
  }

  @Test
  void followsARedirectChainAndNamesTheFileAfterTheUrlAsked(Vertx vertx) throws Exception {
    JsonObject reply = fetch(vertx, "redirects", "/r1");
    assertEquals(0, reply.getJsonArray("failed").size(), reply.encodePrettily());
    assertEquals("redirected", Files.readString(downloads.resolve("redirects/r1.txt")));
  }

  @Test
  void collidingAndEscapingNamesStayInTheFolderAndOverwriteNothing(Vertx vertx) throws Exception {
    Path dir = downloads.resolve("names");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("small.bin"), "mine, do not touch");
    JsonObject reply = fetch(vertx, "names", "/a/small.bin", "/b/small.bin", "/..%2F..%2Fescape");
    assertEquals(0, reply.getJsonArray("failed").size(), reply.encodePrettily());
    assertEquals("mine, do not touch", Files.readString(dir.resolve("small.bin")));
    assertArrayEquals(SMALL, Files.readAllBytes(dir.resolve("small-1.bin")));
    assertArrayEquals(SMALL, Files.readAllBytes(dir.resolve("small-2.bin")));
    assertEquals("root /..%2F..%2Fescape", Files.readString(dir.resolve("_.._escape")));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(4, files.count());
    }
    assertFalse(Files.exists(tmp.resolve("escape")) || Files.exists(downloads.resolve("escape")));
    assertNoPartFiles();
  }

  @Test
  void aJobThatDoesNotWaitRepliesAtOnceAndACancelStopsItKeepingWhatFinished(Vertx vertx) throws Exception {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.FETCH_PROGRESS, m -> events.add(m.body())).completion().await();
    JsonArray urls = new JsonArray().add(url("/small.bin"));
    for (int i = 0; i < 6; i++) {
      urls.add(url("/large.bin?copy=" + i)); // 8 MB each, a few ms per 64 KB: seconds for all
    }
    JsonObject started = vertx.eventBus().<JsonObject>request(Addresses.FETCH, new JsonObject().put("urls", urls)
        .put("dir", "cancelled").put("concurrency", 2).put("jobId", "fetch-1").put("wait", false)).await().body();
    assertEquals(new JsonObject().put("jobId", "fetch-1"), started, "the job id at once, not the job's end");
    for (int i = 0; i < 500 && events.stream().noneMatch(e -> "fetch-1".equals(e.getString("jobId")) && e.getInteger("done") >= 1); i++) {
      Thread.sleep(10);
    }
    JsonObject summary = vertx.eventBus().<JsonObject>request(Addresses.FETCH_CANCEL, new JsonObject().put("jobId", "fetch-1"))
        .await().body();
    assertTrue(summary.getBoolean("cancelled"), summary.encode());
    assertEquals("fetch-1", summary.getString("jobId"));
    assertTrue(summary.getInteger("notFetched") >= 1, "the rest never ran: " + summary.encode());
    assertEquals(0, summary.getJsonArray("failed").size(), "what the cancel stopped is not a failure: " + summary.encode());
    assertNoPartFiles();
    Path dir = downloads.resolve("cancelled");
    for (Object f : summary.getJsonArray("files")) {
      JsonObject file = (JsonObject) f;
      assertEquals(file.getLong("bytes"), Files.size(Path.of(file.getString("file"))), "what finished is kept whole");
    }
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(summary.getJsonArray("files").size(), left.count(), "nothing else in the folder");
    }
    JsonObject last = events.stream().filter(e -> "fetch-1".equals(e.getString("jobId")) && e.getBoolean("finished"))
        .findFirst().orElseThrow();
    assertTrue(last.containsKey("rate") && last.containsKey("bytesPerSecond"), last.encode());
    Throwable unknown = assertThrows(Throwable.class, () -> vertx.eventBus()
        .request(Addresses.FETCH_CANCEL, new JsonObject().put("jobId", "fetch-1")).await());
    assertEquals(404, ((ReplyException) unknown).failureCode(), "it is over: nothing to cancel");
  }

  @Test
  void theRequestIsCheckedBeforeAnythingRuns(Vertx vertx) {
    assertCode(vertx, 403, new JsonObject().put("urls", new JsonArray().add(url("/small.bin")))
        .put("dir", tmp.resolve("elsewhere").toString()));
    assertCode(vertx, 400, new JsonObject().put("urls", new JsonArray()).put("dir", "x"));
    assertCode(vertx, 400, new JsonObject().put("urls", new JsonArray().add(42)).put("dir", "x"));
    assertCode(vertx, 400, new JsonObject().put("urls", new JsonArray().add(url("/"))).put("dir", "x").put("speed", 1));
    assertCode(vertx, 400, new JsonObject().put("urls", new JsonArray().add(url("/"))).put("dir", "x")
        .put("concurrency", 1000));
    JsonArray many = new JsonArray();
    for (int i = 0; i < 51; i++) {
      many.add(url("/" + i));
    }
    assertCode(vertx, 413, new JsonObject().put("urls", many).put("dir", "x"));
  }

  private static void assertCode(Vertx vertx, int code, JsonObject request) {
    try {
      vertx.eventBus().request(Addresses.FETCH, request).await();
      throw new AssertionError("accepted: " + request.encode());
    } catch (ReplyException e) {
      assertEquals(code, e.failureCode(), e.getMessage());
    }
  }
}
