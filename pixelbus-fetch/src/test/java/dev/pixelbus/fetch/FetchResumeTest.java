package dev.pixelbus.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelbus.api.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resume, conditional fetch and the per-host cap against a server of the test's that honours Range,
 * If-Range, If-None-Match and If-Modified-Since as a real one does (and can cut a body, ignore ranges,
 * change its file).
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class FetchResumeTest {
  static final String LAST_MODIFIED = "Wed, 02 Dec 2026 10:00:00 GMT";
  @TempDir
  Path tmp;
  Vertx vertx;
  int port;
  volatile byte[] content = FetchTest.bytes(4 << 20, 11);
  volatile String etag = "\"v1\"";
  /** Cut the next full body after this many bytes (the connection closes); -1: never. */
  final AtomicLong cutAfter = new AtomicLong(-1);
  volatile boolean ignoreRanges;
  final List<String> ranges = new CopyOnWriteArrayList<>();
  final AtomicLong bytesSent = new AtomicLong();
  final AtomicInteger concurrent = new AtomicInteger();
  final AtomicInteger mostConcurrent = new AtomicInteger();

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    port = vertx.createHttpServer().requestHandler(this::serve).listen(0, "127.0.0.1").await().actualPort();
  }

  private void serve(HttpServerRequest r) {
    if (r.path().startsWith("/slow/")) {
      mostConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
      vertx.setTimer(60, t -> {
        concurrent.decrementAndGet();
        r.response().end("slow " + r.path());
      });
      return;
    }
    byte[] body = content;
    var res = r.response().putHeader("ETag", etag).putHeader("Last-Modified", LAST_MODIFIED)
        .putHeader("Accept-Ranges", "bytes");
    if (etag.equals(r.getHeader("If-None-Match"))) {
      res.setStatusCode(304).end();
      return;
    }
    String range = r.getHeader("Range");
    ranges.add(range + " | " + r.getHeader("If-Range"));
    if (range != null && !ignoreRanges && etag.equals(r.getHeader("If-Range"))) {
      long from = Long.parseLong(range.substring("bytes=".length(), range.length() - 1));
      if (from >= body.length) {
        res.setStatusCode(416).putHeader("Content-Range", "bytes */" + body.length).end();
        return;
      }
      bytesSent.addAndGet(body.length - from);
      res.setStatusCode(206).putHeader("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length)
          .end(Buffer.buffer(Arrays.copyOfRange(body, (int) from, body.length)));
      return;
    }
    long cut = cutAfter.getAndSet(-1);
    if (cut >= 0) {
      res.putHeader("Content-Length", String.valueOf(body.length));
      bytesSent.addAndGet(cut);
      res.write(Buffer.buffer(Arrays.copyOf(body, (int) cut))).onComplete(x ->
          vertx.setTimer(50, t -> r.connection().close()));
      return;
    }
    bytesSent.addAndGet(body.length);
    res.end(Buffer.buffer(body));
  }

  private void deploy() {
    JsonObject conf = new JsonObject().put("fetch", new JsonObject().put("outputRoot", tmp.toString())
        .put("allowHosts", new JsonArray().add("127.0.0.1/32")).put("retries", 0).put("idleTimeoutMs", 2000));
    vertx.deployVerticle(new FetchVerticle(FetchSettings.from(conf), FetchVerticle.Destinations.GUARDED)).await();
  }

  private JsonObject fetch(JsonObject options, String... paths) {
    JsonArray urls = new JsonArray();
    for (String p : paths) {
      urls.add(p.startsWith("http") ? p : "http://127.0.0.1:" + port + p);
    }
    return vertx.eventBus().<JsonObject>request(Addresses.FETCH, options.copy().put("urls", urls).put("dir", "job"))
        .await().body();
  }

  private Path dir() {
    return tmp.resolve("job");
  }

  @Test
  void aCutDownloadKeepsItsPartAndTheNextRunAsksOnlyForTheRest() throws Exception {
    deploy();
    JsonObject resume = new JsonObject().put("continue", true);
    cutAfter.set(1_500_000);
    JsonObject first = fetch(resume, "/big.bin");
    assertEquals(1, first.getJsonArray("failed").size(), first.encodePrettily());
    assertTrue(first.getJsonArray("failed").getJsonObject(0).getString("message").contains("big.bin.part kept"),
        first.encodePrettily());
    long kept = Files.size(dir().resolve("big.bin.part"));
    assertTrue(kept > 0 && kept <= 1_500_000, "part of " + kept);
    assertEquals("\"v1\"", Files.readString(dir().resolve("big.bin.part.validator")));

    bytesSent.set(0);
    JsonObject second = fetch(resume, "/big.bin");
    assertEquals(1, second.getJsonArray("files").size(), second.encodePrettily());
    assertEquals(206, second.getJsonArray("files").getJsonObject(0).getInteger("status"));
    assertEquals("bytes=" + kept + "- | \"v1\"", ranges.get(ranges.size() - 1));
    assertEquals(content.length - kept, bytesSent.get(), "only what was missing was sent");
    assertArrayEquals(content, Files.readAllBytes(dir().resolve("big.bin")));
    try (var left = Files.list(dir())) {
      assertEquals(List.of("big.bin"), left.map(p -> p.getFileName().toString()).toList(), "no part, no validator left");
    }
  }

  @Test
  void aChangedFileOrAServerThatIgnoresRangesStartsOver() throws Exception {
    deploy();
    JsonObject resume = new JsonObject().put("continue", true);
    cutAfter.set(1_000_000);
    fetch(resume, "/a.bin");
    assertTrue(Files.exists(dir().resolve("a.bin.part")));
    content = FetchTest.bytes(3 << 20, 12);
    etag = "\"v2\""; // If-Range no longer matches: the server sends the new file whole
    JsonObject changed = fetch(resume, "/a.bin");
    assertEquals(200, changed.getJsonArray("files").getJsonObject(0).getInteger("status"), changed.encodePrettily());
    assertArrayEquals(content, Files.readAllBytes(dir().resolve("a.bin")));

    cutAfter.set(1_000_000);
    fetch(resume, "/b.bin");
    ignoreRanges = true; // a server without ranges answers 200 to a Range
    JsonObject whole = fetch(resume, "/b.bin");
    assertEquals(200, whole.getJsonArray("files").getJsonObject(0).getInteger("status"), whole.encodePrettily());
    assertArrayEquals(content, Files.readAllBytes(dir().resolve("b.bin")), "the part was replaced, not appended to");
  }

  @Test
  void aPartThatIsWholeAlreadyIsNamedOn416AndWithoutContinueAPartIsDeleted() throws Exception {
    deploy();
    Files.createDirectories(dir());
    Files.write(dir().resolve("whole.bin.part"), content);
    Files.writeString(dir().resolve("whole.bin.part.validator"), etag);
    JsonObject reply = fetch(new JsonObject().put("continue", true), "/whole.bin");
    assertEquals(1, reply.getJsonArray("files").size(), reply.encodePrettily());
    assertArrayEquals(content, Files.readAllBytes(dir().resolve("whole.bin")));

    cutAfter.set(500_000);
    JsonObject plain = fetch(new JsonObject(), "/gone.bin");
    assertEquals(1, plain.getJsonArray("failed").size());
    assertFalse(Files.exists(dir().resolve("gone.bin.part")), "without continue a stopped download leaves nothing");
  }

  @Test
  void ifModifiedLeavesAnUnchangedFileOn304AndReplacesAChangedOne() throws Exception {
    deploy();
    JsonObject conditional = new JsonObject().put("ifModified", true);
    JsonObject first = fetch(conditional, "/page.bin");
    assertEquals(200, first.getJsonArray("files").getJsonObject(0).getInteger("status"));
    Path file = dir().resolve("page.bin");
    assertEquals(Instant.parse("2026-12-02T10:00:00Z"), Files.getLastModifiedTime(file).toInstant(),
        "the file keeps the server's Last-Modified");
    JsonObject again = fetch(conditional, "/page.bin");
    JsonObject row = again.getJsonArray("files").getJsonObject(0);
    assertEquals(304, row.getInteger("status"), again.encodePrettily());
    assertEquals(content.length, row.getLong("bytes"));
    assertEquals(file.toString(), row.getString("file"));
    etag = "\"v3\"";
    content = FetchTest.bytes(1 << 20, 13);
    JsonObject changed = fetch(conditional, "/page.bin");
    assertEquals(200, changed.getJsonArray("files").getJsonObject(0).getInteger("status"), changed.encodePrettily());
    assertArrayEquals(content, Files.readAllBytes(file), "a newer file replaces the old one");
    try (var left = Files.list(dir())) {
      assertEquals(1, left.count());
    }
  }

  @Test
  void maxPerHostCapsOneHostAndLetsTheOthersGoOn() {
    deploy();
    String[] paths = new String[12];
    for (int i = 0; i < paths.length; i++) {
      // Two hosts by name: 127.0.0.1 and a name that resolves to it (the tests' hosts file).
      paths[i] = (i % 2 == 0 ? "http://127.0.0.1:" : "http://loopback.pixelbus.test:") + port + "/slow/" + i;
    }
    JsonObject capped = fetch(new JsonObject().put("maxPerHost", 2).put("concurrency", 8), paths);
    assertEquals(12, capped.getJsonArray("files").size(), capped.encodePrettily());
    assertEquals(4, mostConcurrent.get(), "2 per host, 2 hosts, though 8 were allowed at once");
    mostConcurrent.set(0);
    fetch(new JsonObject().put("maxPerHost", 1).put("concurrency", 8).put("overwrite", true), paths);
    assertEquals(2, mostConcurrent.get());
  }

  @Test
  void aRateLimitedJobStillSavesEveryByte() throws Exception {
    deploy();
    content = FetchTest.bytes(600_000, 14);
    JsonObject reply = fetch(new JsonObject().put("limitRate", 2_000_000), "/r1.bin", "/r2.bin");
    assertEquals(2, reply.getJsonArray("files").size(), reply.encodePrettily());
    assertArrayEquals(content, Files.readAllBytes(dir().resolve("r1.bin")));
    assertArrayEquals(content, Files.readAllBytes(dir().resolve("r2.bin")));
  }
}
