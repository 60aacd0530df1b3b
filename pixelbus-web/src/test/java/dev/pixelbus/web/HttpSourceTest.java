package dev.pixelbus.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelbus.api.Addresses;
import dev.pixelbus.bridge.BridgeSettings;
import dev.pixelbus.common.UrlSignature;
import dev.pixelbus.common.auth.AuthSettings;
import dev.pixelbus.fetch.FetchSettings;
import dev.pixelbus.fetch.FetchVerticle;
import dev.pixelbus.image.ImageModule;
import dev.pixelbus.image.natives.OpenCvNative;
import dev.pixelbus.testkit.TestImages;
import dev.pixelbus.web.source.SourceSettings;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * The image server for the web, on real sockets: {@code GET /v1/images/OP?url=SOURCE} against a source server
 * started here that counts its requests. The pixels equal POST's; signatures (good, bad, missing, rotated);
 * ETag and 304; the result cache (a hit asks the source nothing, a stale entry is revalidated with the
 * source's 304, eviction at the byte bound); one fetch for 8 identical requests at once; format=auto on
 * Accept; and every source error with its code and {@code Cache-Control: no-store}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class HttpSourceTest {
  private static final byte[] JPEG = TestImages.bytes(TestImages.ASTRONAUT_JPG);
  private static final byte[] PNG = TestImages.bytes(TestImages.SHAPES_PNG);

  @TempDir
  Path tmp;
  WebClient web;
  int port;
  int sourcePort;
  /** Requests the source server saw, by path (200s and 304s alike). */
  final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
  /** Headers the source adds to its images, by path. */
  final Map<String, MultiMap> sourceHeaders = new ConcurrentHashMap<>();

  private int asked(String path) {
    return asked.getOrDefault(path, new AtomicInteger()).get();
  }

  /** The source: images with an ETag (304 on If-None-Match), errors, a slow, a big and a late answer. */
  private void source(Vertx vertx) {
    HttpServer server = vertx.createHttpServer().requestHandler(this::answer);
    sourcePort = server.listen(0, "127.0.0.1").await().actualPort();
  }

  private void answer(HttpServerRequest req) {
    String path = req.path();
    asked.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
    var res = req.response();
    MultiMap extra = sourceHeaders.get(path);
    if (extra != null) {
      res.headers().addAll(extra);
    }
    switch (path) {
      case "/photo.jpg", "/other.jpg", "/third.jpg" -> image(req, JPEG);
      case "/shapes.png" -> image(req, PNG);
      case "/late.jpg" -> req.response().exceptionHandler(e -> { }) // answers after a while: requests pile up
          .setStatusCode(200);
      case "/missing.jpg" -> res.setStatusCode(404).end("no");
      case "/broken.jpg" -> res.setStatusCode(503).end("down");
      case "/text.jpg" -> res.putHeader("Content-Type", "text/plain").end("not an image at all");
      case "/big.jpg" -> res.putHeader("Content-Length", "9000000").write(Buffer.buffer(new byte[4096]));
      case "/chunked.jpg" -> {
        res.setChunked(true);
        for (int i = 0; i < 300; i++) {
          res.write(Buffer.buffer(new byte[8192]));
        }
        res.end();
      }
      case "/silent.jpg" -> { } // never answers
      default -> res.setStatusCode(404).end();
    }
    if (path.equals("/late.jpg")) {
      Vertx.currentContext().owner().setTimer(400, t -> image(req, JPEG));
    }
  }

  private static void image(HttpServerRequest req, byte[] bytes) {
    String etag = "\"v" + bytes.length + "\"";
    if (etag.equals(req.getHeader("If-None-Match"))) {
      req.response().setStatusCode(304).putHeader("ETag", etag).end();
      return;
    }
    req.response().putHeader("ETag", etag).putHeader("Content-Type", bytes == JPEG ? "image/jpeg" : "image/png")
        .end(Buffer.buffer(bytes));
  }

  private void start(Vertx vertx, Consumer<JsonObject> sources) {
    source(vertx);
    JsonObject conf = new JsonObject()
        .put("image", new JsonObject().put("workers", 2).put("inputRoots", new JsonArray().add(tmp.toString()))
            .put("outputRoot", tmp.resolve("out").toString()).put("maxInputBytes", 1_000_000))
        .put("fetch", new JsonObject().put("outputRoot", tmp.resolve("downloads").toString())
            .put("allowHosts", new JsonArray().add("127.0.0.1/32"))) // the test's source is on loopback
        .put("http", new JsonObject()
            .put("sources", new JsonObject().put("timeoutMs", 1500))
            .put("cache", new JsonObject().put("dir", tmp.resolve("cache").toString())));
    sources.accept(conf.getJsonObject("http"));
    ImageModule.deploy(vertx, conf).await();
    vertx.deployVerticle(new FetchVerticle(FetchSettings.from(conf), FetchVerticle.Destinations.GUARDED)).await();
    HttpApiVerticle api = new HttpApiVerticle(new HttpSettings(true, "127.0.0.1", 0, 4 << 20, tmp.resolve("uploads"),
        60_000, 60_000), SourceSettings.from(conf), BridgeSettings.from(new JsonObject()), AuthSettings.from(new JsonObject()),
        false);
    vertx.deployVerticle(api).await();
    port = api.actualPort();
    web = WebClient.create(vertx);
  }

  private String src(String path) {
    return URLEncoder.encode("http://127.0.0.1:" + sourcePort + path, StandardCharsets.UTF_8);
  }

  private HttpResponse<Buffer> get(String target, String... headers) {
    var request = web.get(port, "127.0.0.1", target);
    for (int i = 0; i < headers.length; i += 2) {
      request.putHeader(headers[i], headers[i + 1]);
    }
    return request.send().await();
  }

  private void assertError(HttpResponse<Buffer> r, int code, String... fragments) {
    assertEquals(code, r.statusCode(), r.bodyAsString());
    assertEquals("no-store", r.getHeader("Cache-Control"), "an error is never cached");
    String message = r.bodyAsJsonObject().getString("message");
    for (String f : fragments) {
      assertTrue(message.contains(f), message);
    }
  }

  @Test
  void aSourceGetGivesWhatPostGivesForTheSameBytes(Vertx vertx) {
    start(vertx, http -> { });
    HttpResponse<Buffer> got = get("/v1/images/resize?url=" + src("/photo.jpg") + "&width=100&format=png");
    assertEquals(200, got.statusCode(), got.bodyAsString());
    assertEquals("image/png", got.getHeader("Content-Type"));
    HttpResponse<Buffer> posted = web.post(port, "127.0.0.1", "/v1/images/resize?width=100&format=png")
        .sendBuffer(Buffer.buffer(JPEG)).await();
    assertArrayEquals(posted.body().getBytes(), got.body().getBytes(), "the same pixels, the same PNG");
    assertEquals("Accept", got.getHeader("Vary"));
    assertEquals("public, max-age=86400", got.getHeader("Cache-Control"));
    assertTrue(got.getHeader("ETag").matches("\"[0-9a-f]{32}\""), got.getHeader("ETag"));
    // A pipeline too, its steps in the query as POST takes them.
    HttpResponse<Buffer> piped = get("/v1/images/pipeline?url=" + src("/photo.jpg") + "&steps="
        + URLEncoder.encode("[\"grayscale\",{\"op\":\"resize\",\"width\":64}]", StandardCharsets.UTF_8) + "&format=png");
    assertEquals(200, piped.statusCode(), piped.bodyAsString());
    assertError(get("/v1/images/resize?width=100"), 400, "needs url=SOURCE");
    assertError(get("/v1/images/emboss?url=" + src("/photo.jpg")), 404, "no image operation 'emboss'");
    assertError(get("/v1/images/resize?url=" + src("/photo.jpg") + "&width=0"), 400, "width must be between 1 and 65536");
  }

  @Test
  void aSignedServerServesOnlyGoodSignaturesAndNeverAsksTheSourceOtherwise(Vertx vertx) {
    String oldKey = "0123456789abcdef-old";
    String newKey = "0123456789abcdef-new";
    start(vertx, http -> http.getJsonObject("sources").put("signingKeys", new JsonArray().add(newKey).add(oldKey)));
    String target = "/v1/images/resize?url=" + src("/photo.jpg") + "&width=80";
    assertError(get(target), 403, "sig is missing");
    assertError(get(target + "&sig=AAAA"), 403, "sig does not match");
    assertError(get(UrlSignature.sign("some-other-key-0123", target)), 403, "sig does not match");
    assertError(get(UrlSignature.sign(newKey, target) + "&width=90"), 403, "sig must be the last parameter");
    assertEquals(0, asked("/photo.jpg"), "no refused request reached the source");
    assertEquals(200, get(UrlSignature.sign(newKey, target)).statusCode());
    assertEquals(200, get(UrlSignature.sign(oldKey, target)).statusCode(), "a URL signed with the old key, while it rotates");
    assertEquals(1, asked("/photo.jpg"), "the second was the cache's");
    // The page signs over the bus (pixelbus.image.sign) with the first key; the server takes what it signed.
    JsonObject signed = vertx.eventBus().<JsonObject>request(Addresses.IMAGE_SIGN,
        new JsonObject().put("path", target + "&width=70")).await().body();
    assertEquals(true, signed.getBoolean("signed"));
    assertEquals(UrlSignature.sign(newKey, target + "&width=70"), signed.getString("path"));
    assertEquals(200, get(signed.getString("path")).statusCode());
    ReplyException notImages = assertThrows(ReplyException.class, () -> vertx.eventBus()
        .request(Addresses.IMAGE_SIGN, new JsonObject().put("path", "/v1/fetch?url=x")).await());
    assertEquals(400, notImages.failureCode());
  }

  @Test
  void anAnonymousServerBeyondLoopbackDoesNotSignForWhoeverAsks(Vertx vertx) {
    JsonObject conf = new JsonObject().put("http", new JsonObject()
        .put("sources", new JsonObject().put("signingKeys", new JsonArray().add("0123456789abcdef-key")))
        .put("cache", new JsonObject().put("enabled", false)));
    // Binds 0.0.0.0 on a free port for the moment of the test: anyone reaching a bridge could ask for signatures.
    vertx.deployVerticle(new HttpApiVerticle(new HttpSettings(true, "0.0.0.0", 0, 4 << 20, tmp.resolve("uploads"),
        60_000, 60_000), SourceSettings.from(conf), BridgeSettings.from(new JsonObject()),
        AuthSettings.from(new JsonObject().put("auth", new JsonObject().put("allowAnonymous", true))), false)).await();
    ReplyException refused = assertThrows(ReplyException.class, () -> vertx.eventBus()
        .request(Addresses.IMAGE_SIGN, new JsonObject().put("path", "/v1/images/grayscale?url=x")).await());
    assertEquals(403, refused.failureCode());
    assertTrue(refused.getMessage().contains("for token holders"), refused.getMessage());
  }

  @Test
  void theCacheAnswersWithoutTheSourceAnd304WithoutProcessing(Vertx vertx) throws Exception {
    start(vertx, http -> { });
    String target = "/v1/images/resize?url=" + src("/photo.jpg") + "&width=120";
    HttpResponse<Buffer> first = get(target);
    assertEquals("miss", first.getHeader("X-Pixelbus-Cache"));
    HttpResponse<Buffer> second = get(target);
    assertEquals("hit", second.getHeader("X-Pixelbus-Cache"));
    assertArrayEquals(first.body().getBytes(), second.body().getBytes());
    assertEquals(first.getHeader("ETag"), second.getHeader("ETag"), "a strong ETag: the same result, the same tag");
    assertEquals(1, asked("/photo.jpg"), "the hit asked the source nothing");
    long processed = imagesDone(vertx);
    HttpResponse<Buffer> notModified = get(target, "If-None-Match", first.getHeader("ETag"));
    assertEquals(304, notModified.statusCode());
    assertEquals(0, notModified.body() == null ? 0 : notModified.body().length());
    assertEquals(first.getHeader("ETag"), notModified.getHeader("ETag"));
    assertEquals(processed, imagesDone(vertx), "304 without processing");
    assertEquals(1, asked("/photo.jpg"));
    // Gone from the cache (evicted, another node), a CDN revalidating still gets its 304 with nothing processed:
    // the ETag is known from the source's identity before any work.
    try (Stream<Path> files = Files.walk(tmp.resolve("cache"))) {
      files.filter(Files::isRegularFile).forEach(f -> f.toFile().delete());
    }
    HttpResponse<Buffer> evicted = get(target, "If-None-Match", first.getHeader("ETag"));
    assertEquals(304, evicted.statusCode());
    assertEquals(first.getHeader("ETag"), evicted.getHeader("ETag"));
    assertEquals("miss", evicted.getHeader("X-Pixelbus-Cache"));
    assertEquals(processed, imagesDone(vertx), "304 without processing, the source fetched again");
    assertEquals(2, asked("/photo.jpg"));
    assertEquals(200, get(target).statusCode(), "and the unconditional request still gets the image");
    // Another operation or parameter is another result, and another ETag.
    HttpResponse<Buffer> other = get("/v1/images/resize?url=" + src("/photo.jpg") + "&width=121");
    assertTrue(!other.getHeader("ETag").equals(first.getHeader("ETag")));
  }

  @Test
  void aStaleResultIsRevalidatedAndTheSources304KeepsIt(Vertx vertx) {
    start(vertx, http -> { });
    sourceHeaders.put("/photo.jpg", MultiMap.caseInsensitiveMultiMap().add("Cache-Control", "no-cache"));
    String target = "/v1/images/blur?url=" + src("/photo.jpg");
    HttpResponse<Buffer> first = get(target);
    assertEquals("miss", first.getHeader("X-Pixelbus-Cache"));
    long processed = imagesDone(vertx);
    HttpResponse<Buffer> again = get(target);
    assertEquals(200, again.statusCode());
    assertEquals("revalidated", again.getHeader("X-Pixelbus-Cache"), "no-cache: asked again, with If-None-Match");
    assertEquals(2, asked("/photo.jpg"), "once whole, once answered 304");
    assertEquals(processed, imagesDone(vertx), "the 304 kept the result: not processed again");
    assertArrayEquals(first.body().getBytes(), again.body().getBytes());
  }

  /** The PNG a 100-wide resize of the test JPEG gives, as the workers make it: the size of one cached result's image. */
  private static int onePngResult() {
    OpenCvNative.load();
    Mat im = Imgcodecs.imdecode(new MatOfByte(JPEG), Imgcodecs.IMREAD_COLOR);
    Mat small = new Mat();
    Imgproc.resize(im, small, new Size(100, 100), 0, 0, Imgproc.INTER_AREA);
    MatOfByte png = new MatOfByte();
    Imgcodecs.imencode(".png", small, png);
    int length = (int) png.total();
    for (Mat m : new Mat[] {im, small, png}) {
      m.release();
    }
    return length;
  }

  @Test
  void theCacheKeepsToItsByteBoundLeastRecentlyUsedOut(Vertx vertx) throws Exception {
    // Room for two results (their image and about 500 bytes of metadata each), not three.
    long bound = 2 * (onePngResult() + 600L) + 300;
    start(vertx, http -> http.getJsonObject("cache").put("maxBytes", bound));
    List<String> targets = new ArrayList<>();
    for (String path : List.of("/photo.jpg", "/other.jpg", "/third.jpg")) {
      targets.add("/v1/images/resize?url=" + src(path) + "&width=100&format=png");
    }
    get(targets.get(0));
    get(targets.get(1));
    get(targets.get(0)); // now the most recently used
    get(targets.get(2)); // evicts /other.jpg's
    assertTrue(cacheBytes() <= bound, cacheBytes() + " bytes on disk, over " + bound);
    assertEquals("hit", get(targets.get(0)).getHeader("X-Pixelbus-Cache"));
    assertEquals("miss", get(targets.get(1)).getHeader("X-Pixelbus-Cache"), "evicted at the bound");
    assertEquals(2, asked("/other.jpg"));
    assertEquals(1, asked("/photo.jpg"));
    HttpResponse<Buffer> metrics = get("/metrics");
    assertTrue(metrics.bodyAsString().contains("pixelbus_cache_evictions_total"), "evictions on /metrics");
    assertTrue(metrics.bodyAsString().contains("pixelbus_cache_hits_total"));
    assertTrue(metrics.bodyAsString().contains("pixelbus_source_fetch_seconds_count"));
  }

  @Test
  void eightIdenticalRequestsAtOnceShareOneFetchAndOneProcessing(Vertx vertx) {
    start(vertx, http -> { });
    String target = "/v1/images/sharpen?url=" + src("/late.jpg");
    long processed = imagesDone(vertx);
    List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      all.add(web.get(port, "127.0.0.1", target).send());
    }
    Future.all(all).await();
    for (Future<HttpResponse<Buffer>> f : all) {
      assertEquals(200, f.result().statusCode(), f.result().bodyAsString());
    }
    assertEquals(1, asked("/late.jpg"), "one source request for 8");
    assertEquals(processed + 1, imagesDone(vertx), "one processing for 8");
  }

  @Test
  void formatAutoAnswersWebpToWhoAcceptsIt(Vertx vertx) {
    start(vertx, http -> { });
    String jpeg = "/v1/images/resize?url=" + src("/photo.jpg") + "&width=50&format=auto";
    HttpResponse<Buffer> chrome = get(jpeg, "Accept", "image/avif,image/webp,image/apng,image/*,*/*;q=0.8");
    assertEquals("image/webp", chrome.getHeader("Content-Type"));
    assertEquals("Accept", chrome.getHeader("Vary"));
    HttpResponse<Buffer> old = get(jpeg, "Accept", "image/png,image/*;q=0.8");
    assertEquals("image/jpeg", old.getHeader("Content-Type"), "a JPEG source, no WebP: JPEG");
    assertTrue(!chrome.getHeader("ETag").equals(old.getHeader("ETag")), "the cache keys on the chosen format");
    assertEquals("image/png", get("/v1/images/resize?url=" + src("/shapes.png") + "&width=50&format=auto")
        .getHeader("Content-Type"), "another source, no WebP: PNG");
    assertEquals("image/jpeg", get(jpeg, "Accept", "image/webp;q=0").getHeader("Content-Type"), "q=0 is a refusal");
  }

  @Test
  void everySourceErrorHasItsCodeAndNamesTheSource(Vertx vertx) throws Exception {
    start(vertx, http -> { });
    assertError(get("/v1/images/blur?url=" + src("/missing.jpg")), 404, "/missing.jpg", "404");
    assertError(get("/v1/images/blur?url=" + src("/broken.jpg")), 502, "/broken.jpg", "503");
    assertError(get("/v1/images/blur?url=" + src("/text.jpg")), 415, "/text.jpg", "not a supported image");
    assertError(get("/v1/images/blur?url=" + src("/big.jpg")), 413, "/big.jpg", "over the limit of 1000000");
    assertError(get("/v1/images/blur?url=" + src("/chunked.jpg")), 413, "/chunked.jpg", "past the limit");
    assertError(get("/v1/images/blur?url=" + src("/silent.jpg")), 504, "/silent.jpg", "did not answer within 1500 ms");
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    assertError(get("/v1/images/blur?url=" + URLEncoder.encode("http://127.0.0.1:" + closed + "/x.jpg",
        StandardCharsets.UTF_8)), 502, "127.0.0.1:" + closed);
    assertError(get("/v1/images/blur?url=" + URLEncoder.encode("http://169.254.169.254/latest/meta-data",
        StandardCharsets.UTF_8)), 403, "169.254.169.254", "refused");
    assertError(get("/v1/images/blur?url=ftp%3A%2F%2Fexample.com%2Fa.jpg"), 400, "ftp");
    assertEquals(200, get("/v1/images/blur?url=" + src("/photo.jpg")).statusCode(), "and it goes on serving");
  }

  private long imagesDone(Vertx vertx) {
    return vertx.eventBus().<JsonObject>request("pixelbus.image.stats", new JsonObject()).await().body()
        .getLong("succeeded");
  }

  private long cacheBytes() throws Exception {
    try (Stream<Path> files = Files.walk(tmp.resolve("cache"))) {
      long sum = 0;
      for (Path p : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(p)) {
          sum += Files.size(p);
        }
      }
      assertNotNull(tmp);
      return sum;
    }
  }
}
