package dev.pixelbus.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelbus.echo.EchoSettings;
import dev.pixelbus.echo.EchoVerticle;
import dev.pixelbus.fetch.FetchSettings;
import dev.pixelbus.fetch.FetchVerticle;
import dev.pixelbus.image.ImageModule;
import dev.pixelbus.testkit.TestImages;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/** The HTTP API on a real port, with vertx-web-client: every route, every error code, concurrent uploads. */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class HttpApiTest {
  @TempDir
  Path tmp;
  WebClient web;
  int port;
  String apiId;

  private void start(Vertx vertx, Consumer<JsonObject> image) {
    JsonObject imageConf = new JsonObject().put("workers", 2).put("inputRoots", new JsonArray().add(tmp.toString()))
        .put("outputRoot", tmp.resolve("out").toString());
    image.accept(imageConf);
    JsonObject conf = new JsonObject().put("image", imageConf)
        .put("fetch", new JsonObject().put("outputRoot", tmp.resolve("downloads").toString()).put("maxJobs", 2)
            .put("allowHosts", new JsonArray().add("127.0.0.1/32"))) // the server fetches its own page
        .put("echo", new JsonObject().put("port", 0));
    ImageModule.deploy(vertx, conf).await();
    vertx.deployVerticle(new EchoVerticle(EchoSettings.from(conf))).await();
    vertx.deployVerticle(new FetchVerticle(FetchSettings.from(conf), FetchVerticle.Destinations.GUARDED)).await();
    HttpApiVerticle api = new HttpApiVerticle(new HttpSettings(true, "127.0.0.1", 0, 1 << 20,
        tmp.resolve("uploads"), 60_000, 60_000), true);
    apiId = vertx.deployVerticle(api).await();
    port = api.actualPort();
    web = WebClient.create(vertx);
  }

  private HttpResponse<Buffer> post(String pathAndQuery, byte[] body) {
    return web.post(port, "127.0.0.1", pathAndQuery).sendBuffer(Buffer.buffer(body)).await();
  }

  private static Mat decode(Buffer body, int flags) {
    MatOfByte bytes = new MatOfByte(body.getBytes());
    Mat m = Imgcodecs.imdecode(bytes, flags);
    bytes.release();
    return m;
  }

  @Test
  void eachOperationAnswersWithAnImageOrJson(Vertx vertx) {
    start(vertx, c -> { });
    byte[] png = TestImages.bytes(TestImages.ASTRONAUT_PNG);
    HttpResponse<Buffer> gray = post("/v1/images/grayscale", png);
    assertEquals(200, gray.statusCode(), gray.bodyAsString());
    assertEquals("image/png", gray.getHeader("Content-Type"));
    Mat got = decode(gray.body(), Imgcodecs.IMREAD_UNCHANGED);
    Mat src = decode(Buffer.buffer(png), Imgcodecs.IMREAD_COLOR);
    Mat expected = new Mat();
    Imgproc.cvtColor(src, expected, Imgproc.COLOR_BGR2GRAY);
    Mat diff = new Mat();
    Core.absdiff(got, expected, diff);
    assertEquals(0, Core.countNonZero(diff), "the same pixels as OpenCV's own grayscale");
    for (Mat m : new Mat[] {got, src, expected, diff}) {
      m.release();
    }

    HttpResponse<Buffer> adaptive = post("/v1/images/adaptive?method=mean&blockSize=15&c=3&format=jpg", png);
    assertEquals(200, adaptive.statusCode(), adaptive.bodyAsString());
    assertEquals("image/jpeg", adaptive.getHeader("Content-Type"));
    assertEquals("256", adaptive.getHeader("X-Pixelbus-Width"));

    HttpResponse<Buffer> threshold = post("/v1/images/threshold?otsu=true", png);
    assertEquals(200, threshold.statusCode(), threshold.bodyAsString());

    JsonObject faces = post("/v1/images/faces", png).bodyAsJsonObject();
    assertEquals(1, faces.getJsonArray("faces").size(), faces.encode());
    HttpResponse<Buffer> boxed = post("/v1/images/faces?response=image", png);
    assertEquals("image/png", boxed.getHeader("Content-Type"));
    assertEquals(faces.getJsonArray("faces").encode(), boxed.getHeader("X-Pixelbus-Faces"));

    MultipartForm form = MultipartForm.create().binaryFileUpload("image", "astronaut.jpg",
        Buffer.buffer(TestImages.bytes(TestImages.ASTRONAUT_JPG)), "image/jpeg");
    JsonObject info = web.post(port, "127.0.0.1", "/v1/images/info").sendMultipartForm(form).await().bodyAsJsonObject();
    assertEquals(256, info.getInteger("width"), info.encode());
    assertEquals("jpeg", info.getString("format"));
  }

  @Test
  void everyErrorIsJsonWithTheContractsCode(Vertx vertx) {
    start(vertx, c -> { });
    byte[] png = TestImages.bytes(TestImages.ASTRONAUT_PNG);
    assertError(post("/v1/images/adaptive?blockSize=4", png), 400, "blockSize");
    assertError(post("/v1/images/grayscale", new byte[0]), 400, "send the image");
    assertError(post("/v1/images/grayscale?speed=9", png), 400, "speed");
    assertError(post("/v1/images/grayscale?output=../../escape.png", png), 403, "");
    assertError(post("/v1/images/emboss", png), 404, "no image operation 'emboss'");
    assertError(post("/v1/images/info", TestImages.pngClaiming(50_000, 50_000)), 413, "");
    assertError(post("/v1/images/info", new byte[2 << 20]), 413, "http.maxBodyBytes");
    assertError(post("/v1/images/info", "<html>not an image</html>".getBytes()), 415, "not a supported image");
    // The image is the body: a server path as ?input= would read the server's own files.
    assertError(post("/v1/images/grayscale?input=astronaut.png", png), 400, "input is the request body");
    assertError(post("/v1/images/grayscale?c=%zz", png), 400, "");
    assertError(post("/v1/images", png), 405, "POST is not allowed on /v1/images");
    assertError(post("/v1/nope", png), 405, "POST is not allowed on /v1/nope"); // GET /* serves the page
    assertError(web.delete(port, "127.0.0.1", "/v1/images/info").send().await(), 405, "DELETE is not allowed");
  }

  @Test
  void metricsLabelsComeFromAFixedSetWhateverPathsClientsMakeUp(Vertx vertx) {
    start(vertx, c -> { });
    for (int i = 0; i < 30; i++) {
      post("/v1/made-up-" + i, new byte[] {1});
      post("/v1/images/made-up-" + i, new byte[] {1});
    }
    String metrics = web.get(port, "127.0.0.1", "/metrics").send().await().bodyAsString();
    assertTrue(!metrics.contains("made-up"), metrics);
    assertTrue(metrics.contains("pixelbus_http_requests_seconds_count{op=\"other\",route=\"other\",status=\"405\"} 30"), metrics);
    assertTrue(metrics.contains("pixelbus_http_requests_seconds_count{op=\"unknown\",route=\"images\",status=\"404\"} 30"),
        metrics);
  }

  @Test
  void requestsInFlightAreBoundedAndABodyThatStallsIsCut(Vertx vertx) throws Exception {
    JsonObject conf = new JsonObject().put("image", new JsonObject().put("workers", 1)
        .put("inputRoots", new JsonArray().add(tmp.toString())).put("outputRoot", tmp.resolve("out").toString()));
    ImageModule.deploy(vertx, conf).await();
    // Echo is not served here, so /health must not check it.
    HttpApiVerticle api = new HttpApiVerticle(new HttpSettings(true, "127.0.0.1", 0, 1 << 20, tmp.resolve("uploads"),
        60_000, 60_000, 1, 700, dev.pixelbus.common.auth.TlsSettings.OFF, java.util.List.of()), false);
    vertx.deployVerticle(api).await();
    port = api.actualPort();
    web = WebClient.create(vertx);
    try (java.net.Socket slow = new java.net.Socket("127.0.0.1", port)) {
      slow.setSoTimeout(10_000);
      slow.getOutputStream().write(("POST /v1/images/info HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n"
          + "only part of it").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      slow.getOutputStream().flush();
      Thread.sleep(150); // the slow request holds the only slot
      assertError(post("/v1/images/info", TestImages.bytes(TestImages.ASTRONAUT_PNG)), 503, "http.maxInFlight");
      String answer = new String(slow.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
      assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
      assertTrue(answer.contains("http.bodyTimeoutMs"), answer);
    }
    HttpResponse<Buffer> ok = post("/v1/images/info", TestImages.bytes(TestImages.ASTRONAUT_PNG));
    assertEquals(200, ok.statusCode(), "the slot came back: " + ok.bodyAsString());
    HttpResponse<Buffer> health = web.get(port, "127.0.0.1", "/health").send().await();
    assertEquals(200, health.statusCode(), health.bodyAsString());
    List<String> ids = health.bodyAsJsonObject().getJsonArray("checks").stream()
        .map(o -> ((JsonObject) o).getString("id")).sorted().toList();
    assertEquals(List.of("eventbus", "image-workers"), ids);
  }

  @Test
  void aFullQueueAnswers503(Vertx vertx) {
    start(vertx, c -> c.put("workers", 1).put("queueCapacity", 0));
    byte[] png = TestImages.bytes(TestImages.ASTRONAUT_PNG);
    List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      all.add(web.post(port, "127.0.0.1", "/v1/images/faces?scaleFactor=1.05").sendBuffer(Buffer.buffer(png)));
    }
    Future.join(all).await();
    long ok = all.stream().filter(f -> f.result().statusCode() == 200).count();
    long busy = all.stream().filter(f -> f.result().statusCode() == 503).count();
    assertTrue(ok >= 1 && busy >= 1 && ok + busy == 12, ok + " ok, " + busy + " busy");
    assertError(all.stream().filter(f -> f.result().statusCode() == 503).findFirst().get().result(), 503, "");
  }

  @Test
  void concurrentUploadsAreAllAnswered(Vertx vertx) {
    start(vertx, c -> { });
    byte[] jpg = TestImages.bytes(TestImages.ASTRONAUT_JPG);
    List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      all.add(web.post(port, "127.0.0.1", "/v1/images/adaptive?blockSize=" + (3 + 2 * (i % 8)))
          .sendBuffer(Buffer.buffer(jpg)));
    }
    Future.all(all).await();
    for (Future<HttpResponse<Buffer>> f : all) {
      assertEquals(200, f.result().statusCode(), f.result().bodyAsString());
      Mat m = decode(f.result().body(), Imgcodecs.IMREAD_UNCHANGED);
      assertEquals(256, m.cols());
      m.release();
    }
  }

  @Test
  void fetchHealthAndThePage(Vertx vertx) throws Exception {
    start(vertx, c -> { });
    String page = web.get(port, "127.0.0.1", "/").send().await().bodyAsString();
    assertTrue(page.contains("<title>pixelbus</title>"), page);

    JsonArray urls = new JsonArray().add("http://127.0.0.1:" + port + "/index.html").add("http://127.0.0.1:" + port + "/nope");
    HttpResponse<Buffer> fetched = web.post(port, "127.0.0.1", "/v1/fetch").sendJson(urls).await();
    assertEquals(200, fetched.statusCode(), fetched.bodyAsString());
    JsonObject reply = fetched.bodyAsJsonObject();
    assertEquals(1, reply.getJsonArray("files").size(), reply.encode());
    assertEquals(404, reply.getJsonArray("failed").getJsonObject(0).getInteger("code"));
    assertEquals(page, Files.readString(tmp.resolve("downloads/http/index.html")));
    // The job's options go through as on the bus.
    HttpResponse<Buffer> options = web.post(port, "127.0.0.1", "/v1/fetch").sendJsonObject(new JsonObject()
        .put("urls", new JsonArray().add(new JsonObject().put("url", "http://127.0.0.1:" + port + "/index.html")
            .put("out", "with-options.html")))
        .put("maxPerHost", 1).put("limitRate", 10_000_000).put("headers", new JsonObject().put("X-Test", "1"))
        .put("ifModified", true)).await();
    assertEquals(200, options.statusCode(), options.bodyAsString());
    assertEquals(page, Files.readString(tmp.resolve("downloads/http/with-options.html")));
    // A list in aria2's input format, as text/plain: out= names the file.
    HttpResponse<Buffer> listed = web.post(port, "127.0.0.1", "/v1/fetch").putHeader("Content-Type", "text/plain")
        .sendBuffer(Buffer.buffer("http://127.0.0.1:" + port + "/index.html\n  out=page-copy.html\n")).await();
    assertEquals(200, listed.statusCode(), listed.bodyAsString());
    assertEquals(page, Files.readString(tmp.resolve("downloads/http/page-copy.html")));
    assertError(web.post(port, "127.0.0.1", "/v1/fetch").putHeader("Content-Type", "text/plain")
        .sendBuffer(Buffer.buffer("http://127.0.0.1/\n  split=2\n")).await(), 400, "line 2: option split is not taken");
    assertError(web.post(port, "127.0.0.1", "/v1/fetch").sendBuffer(Buffer.buffer("{oops")).await(), 400, "JSON");
    // This API's http.maxBodyBytes is 1 MiB, under the 16 MiB a fetch request may hold: the smaller applies.
    assertError(web.post(port, "127.0.0.1", "/v1/fetch").sendBuffer(Buffer.buffer(new byte[2 << 20])).await(), 413,
        "1048576 bytes for a fetch request");
    assertError(web.post(port, "127.0.0.1", "/v1/fetch")
        .sendJson(new JsonObject().put("urls", urls).put("dir", "/etc")).await(), 403, "");

    HttpResponse<Buffer> health = web.get(port, "127.0.0.1", "/health").send().await();
    assertEquals(200, health.statusCode(), health.bodyAsString());
    JsonObject h = health.bodyAsJsonObject();
    assertEquals("UP", h.getString("outcome"));
    List<String> ids = h.getJsonArray("checks").stream().map(o -> ((JsonObject) o).getString("id")).sorted().toList();
    assertEquals(List.of("echo", "eventbus", "image-workers"), ids);

    post("/v1/images/grayscale", TestImages.bytes(TestImages.ASTRONAUT_PNG));
    post("/v1/images/grayscale", new byte[0]);
    String metrics = web.get(port, "127.0.0.1", "/metrics").send().await().bodyAsString();
    for (String line : new String[] {
        "pixelbus_http_requests_seconds_count{op=\"grayscale\",route=\"images\",status=\"200\"} 1",
        "pixelbus_http_requests_seconds_count{op=\"grayscale\",route=\"images\",status=\"400\"} 1",
        "pixelbus_image_requests_total{op=\"grayscale\"} 1",
        "pixelbus_image_queue_depth 0",
        "pixelbus_image_workers 2",
        "pixelbus_echo_connections 0",
        "pixelbus_fetch_files_total 3",
        "pixelbus_fetch_failures_total 1"}) {
      assertTrue(metrics.contains(line), line + " in\n" + metrics);
    }
    long pageBytes = page.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    assertTrue(metrics.contains("pixelbus_fetch_bytes_total " + (double) (3 * pageBytes)), metrics);
  }

  /** The request-forgery guard over HTTP: internal addresses are 403 for the whole request, and nothing is written. */
  @Test
  void aFetchOfAnInternalAddressIs403AndOpensNoSocket(Vertx vertx) throws Exception {
    start(vertx, c -> { });
    AtomicInteger connections = new AtomicInteger();
    int other = vertx.createHttpServer().connectionHandler(c -> connections.incrementAndGet())
        .requestHandler(r -> r.response().end("inside")).listen(0, "127.0.0.2").await().actualPort();
    JsonArray urls = new JsonArray().add("http://127.0.0.2:" + other + "/secret").add("http://169.254.169.254/latest/meta-data/")
        .add("http://[::1]:" + other + "/").add("http://0.0.0.0:" + other + "/");
    HttpResponse<Buffer> refused = web.post(port, "127.0.0.1", "/v1/fetch").sendJson(urls).await();
    assertEquals(403, refused.statusCode(), refused.bodyAsString());
    JsonObject error = refused.bodyAsJsonObject();
    assertEquals(403, error.getInteger("code"), error.encode());
    assertTrue(error.getString("message").startsWith("refused: 127.0.0.2 is a loopback address")
        && error.getString("message").endsWith("(and the 3 other URLs too)"), error.encode());
    assertEquals(0, connections.get(), "no socket was opened to the internal host");
    Path dir = tmp.resolve("downloads/http");
    assertTrue(!Files.exists(dir) || Files.list(dir).findAny().isEmpty(), "nothing written");

    // With one URL the guard allows, the job runs: the refused one is listed with its code.
    JsonArray mixed = new JsonArray().add("http://127.0.0.1:" + port + "/index.html").add("http://127.0.0.2:" + other + "/");
    JsonObject reply = web.post(port, "127.0.0.1", "/v1/fetch").sendJson(mixed).await().bodyAsJsonObject();
    assertEquals(1, reply.getJsonArray("files").size(), reply.encode());
    assertEquals(403, reply.getJsonArray("failed").getJsonObject(0).getInteger("code"), reply.encode());
    assertEquals(1, reply.getInteger("refused"));
    assertEquals(0, connections.get());
  }

  @Test
  void shutdownAnswersTheRequestsInFlight(Vertx vertx) throws Exception {
    start(vertx, c -> { });
    byte[] png = TestImages.bytes(TestImages.ASTRONAUT_PNG);
    List<Future<HttpResponse<Buffer>>> inFlight = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      inFlight.add(web.post(port, "127.0.0.1", "/v1/images/faces?scaleFactor=1.05").sendBuffer(Buffer.buffer(png)));
    }
    Thread.sleep(30); // the requests are on the wire
    Future<Void> stopped = vertx.undeploy(apiId);
    Future.join(inFlight).await();
    for (Future<HttpResponse<Buffer>> f : inFlight) {
      assertTrue(f.succeeded(), String.valueOf(f.cause()));
      assertEquals(200, f.result().statusCode(), f.result().bodyAsString());
    }
    stopped.await();
    try {
      web.get(port, "127.0.0.1", "/health").send().await();
      throw new AssertionError("still accepting after shutdown");
    } catch (Exception refused) {
      // connection refused: the port is closed
    }
  }

  private static void assertError(HttpResponse<Buffer> response, int code, String text) {
    assertEquals(code, response.statusCode(), response.bodyAsString());
    assertEquals("application/json", response.getHeader("Content-Type"));
    JsonObject body = response.bodyAsJsonObject();
    assertEquals(code, body.getInteger("code"));
    assertTrue(body.getString("message").contains(text), body.encode());
  }
}
