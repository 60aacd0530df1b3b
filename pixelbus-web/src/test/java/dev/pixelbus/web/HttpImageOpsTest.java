package dev.pixelbus.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelbus.image.ImageModule;
import dev.pixelbus.testkit.TestImages;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Issue 17's "done when", over HTTP with PNG out: each new operation and a pipeline, pixel for pixel
 * against cv2 (scripts/golden.py), on the repository's images; and, when the course's images are beside
 * the clone (../shared/seed-data, as in CI), on ship.jpg and obama1.jpeg themselves.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class HttpImageOpsTest {
  private static final JsonObject GOLDEN = TestImages.golden();
  /** The pipeline of the issue, as a query string carries it. */
  private static final String PIPELINE = "[\"grayscale\",{\"op\":\"resize\",\"width\":%d},{\"op\":\"threshold\",\"value\":127}]";

  @TempDir
  Path tmp;
  WebClient web;
  int port;

  private void start(Vertx vertx) {
    JsonObject conf = new JsonObject().put("image", new JsonObject().put("workers", 2)
        .put("inputRoots", new JsonArray().add(tmp.toString())).put("outputRoot", tmp.resolve("out").toString()));
    ImageModule.deploy(vertx, conf).await();
    HttpApiVerticle api = new HttpApiVerticle(new HttpSettings(true, "127.0.0.1", 0, 4 << 20,
        tmp.resolve("uploads"), 60_000, 60_000), true);
    vertx.deployVerticle(api).await();
    port = api.actualPort();
    web = WebClient.create(vertx);
  }

  private HttpResponse<Buffer> post(String pathAndQuery, byte[] body) {
    return web.post(port, "127.0.0.1", pathAndQuery).sendBuffer(Buffer.buffer(body)).await();
  }

  private static String steps(int width) {
    return URLEncoder.encode(String.format(PIPELINE, width), StandardCharsets.UTF_8);
  }

  /** A 200 PNG whose decoded pixels are cv2's. */
  private static void assertPixels(JsonObject expected, HttpResponse<Buffer> response, String what) {
    assertEquals(200, response.statusCode(), what + ": " + response.bodyAsString());
    assertEquals("image/png", response.getHeader("Content-Type"), what);
    Mat m = Imgcodecs.imdecode(new MatOfByte(response.body().getBytes()), Imgcodecs.IMREAD_UNCHANGED);
    try {
      assertEquals(expected.getInteger("width") + "x" + expected.getInteger("height") + "x" + expected.getInteger("channels"),
          m.cols() + "x" + m.rows() + "x" + m.channels(), what + ": size");
      assertEquals(expected.getString("sha256"), TestImages.sha256(m), what + ": pixels");
      assertEquals(String.valueOf(m.cols()), response.getHeader("X-Pixelbus-Output-Width"), what);
    } finally {
      m.release();
    }
  }

  /** facecrop's image and its X-Pixelbus-Face header: the largest face cv2 finds, inside the crop. */
  private static void assertFaceCrop(JsonObject expected, HttpResponse<Buffer> response, String what) {
    assertPixels(expected, response, what);
    JsonArray want = expected.getJsonArray("face");
    assertEquals(new JsonObject().put("x", want.getInteger(0)).put("y", want.getInteger(1)).put("w", want.getInteger(2))
        .put("h", want.getInteger(3)), new JsonObject(response.getHeader("X-Pixelbus-Face")), what + ": the largest face");
  }

  @Test
  void eachOperationAndAPipelineMatchCv2OverHttp(Vertx vertx) {
    start(vertx);
    for (String name : new String[] {TestImages.ASTRONAUT_PNG, TestImages.ASTRONAUT_JPG, TestImages.SHAPES_PNG}) {
      JsonObject g = GOLDEN.getJsonObject("images").getJsonObject(name).getJsonObject("geometry");
      byte[] image = TestImages.bytes(name);
      assertPixels(g.getJsonObject("resize width 200"), post("/v1/images/resize?width=200", image), name + " resize");
      assertPixels(g.getJsonObject("rotate 90"), post("/v1/images/rotate?angle=90", image), name + " rotate");
      assertPixels(g.getJsonObject("crop 10,20 100x50"), post("/v1/images/crop?x=10&y=20&w=100&h=50", image), name + " crop");
      assertPixels(g.getJsonObject("blur 5"), post("/v1/images/blur?ksize=5", image), name + " blur");
      assertPixels(g.getJsonObject("grayscale, resize width 200, threshold 127"),
          post("/v1/images/pipeline?steps=" + steps(200), image), name + " pipeline");
    }
    JsonObject astro = GOLDEN.getJsonObject("images").getJsonObject(TestImages.ASTRONAUT_PNG).getJsonObject("geometry");
    assertFaceCrop(astro.getJsonObject("facecrop"), post("/v1/images/facecrop", TestImages.bytes(TestImages.ASTRONAUT_PNG)),
        "facecrop");
    assertFaceCrop(astro.getJsonObject("facecrop 64x64"),
        post("/v1/images/facecrop?width=64&height=64", TestImages.bytes(TestImages.ASTRONAUT_PNG)), "facecrop 64x64");
  }

  /** The operation added through the table: its route, its parameters from the query, its refusals, and GET /v1/ops. */
  @Test
  void sharpenAndTheTableOverHttp(Vertx vertx) {
    start(vertx);
    for (String name : new String[] {TestImages.ASTRONAUT_PNG, TestImages.ASTRONAUT_JPG, TestImages.SHAPES_PNG}) {
      JsonObject g = GOLDEN.getJsonObject("images").getJsonObject(name).getJsonObject("geometry");
      byte[] image = TestImages.bytes(name);
      assertPixels(g.getJsonObject("sharpen"), post("/v1/images/sharpen", image), name + " sharpen");
      assertPixels(g.getJsonObject("sharpen sigma 2.5 amount 0.6"), post("/v1/images/sharpen?sigma=2.5&amount=0.6", image),
          name + " sharpen 2.5 0.6");
      assertPixels(g.getJsonObject("grayscale, sharpen sigma 1.5"), post("/v1/images/pipeline?steps="
          + URLEncoder.encode("[\"grayscale\",{\"op\":\"sharpen\",\"sigma\":1.5}]", StandardCharsets.UTF_8), image),
          name + " pipeline with sharpen");
    }
    HttpResponse<Buffer> bad = post("/v1/images/sharpen?amount=-1", TestImages.bytes(TestImages.ASTRONAUT_PNG));
    assertEquals(400, bad.statusCode());
    assertEquals("amount must be between 0 and 100, not -1", bad.bodyAsJsonObject().getString("message"));
    HttpResponse<Buffer> ops = web.get(port, "127.0.0.1", "/v1/ops").send().await();
    assertEquals(200, ops.statusCode());
    assertEquals("application/json", ops.getHeader("Content-Type"));
    JsonArray list = ops.bodyAsJsonObject().getJsonArray("ops");
    assertTrue(list.stream().anyMatch(o -> ((JsonObject) o).getString("name").equals("sharpen")), ops.bodyAsString());
    assertEquals(16, ops.bodyAsJsonObject().getJsonObject("pipeline").getInteger("maxSteps"));
  }

  @Test
  void badStepsAndNoFaceAreClearErrors(Vertx vertx) {
    start(vertx);
    byte[] png = TestImages.bytes(TestImages.ASTRONAUT_PNG);
    HttpResponse<Buffer> unknown = post("/v1/images/pipeline?steps="
        + URLEncoder.encode("[\"grayscale\",{\"op\":\"emboss\",\"amount\":2}]", StandardCharsets.UTF_8), png);
    assertEquals(400, unknown.statusCode());
    String message = unknown.bodyAsJsonObject().getString("message");
    assertTrue(message.startsWith("step 1 (emboss): unknown op 'emboss'"), message);
    HttpResponse<Buffer> notJson = post("/v1/images/pipeline?steps=grayscale,resize", png);
    assertEquals(400, notJson.statusCode());
    assertTrue(notJson.bodyAsJsonObject().getString("message").contains("steps must be a list"), notJson.bodyAsString());
    HttpResponse<Buffer> noFace = post("/v1/images/facecrop", TestImages.bytes(TestImages.SHAPES_PNG));
    assertEquals(404, noFace.statusCode());
    assertTrue(noFace.bodyAsJsonObject().getString("message").startsWith("faceNotFound"), noFace.bodyAsString());
    HttpResponse<Buffer> centre = post("/v1/images/facecrop?fallback=center", TestImages.bytes(TestImages.SHAPES_PNG));
    assertEquals(200, centre.statusCode());
    assertEquals("center", centre.getHeader("X-Pixelbus-Fallback"));
    // A pipeline that ends in info answers JSON.
    JsonObject info = post("/v1/images/pipeline?steps=" + URLEncoder.encode("[{\"op\":\"rotate\",\"angle\":90},\"info\"]",
        StandardCharsets.UTF_8), TestImages.bytes(TestImages.SHAPES_PNG)).bodyAsJsonObject();
    assertEquals(2, info.getJsonObject("timings").getJsonArray("steps").size(), info.encode());
    assertEquals(180, info.getInteger("infoWidth"), "shapes.png is 180 high: its width after the rotation");
  }

  /** The course's images, when the clone has them beside it (CI does); else skipped, and said so. */
  private static Path seedData() {
    for (Path p : new Path[] {Path.of("..", "..", "shared", "seed-data"), Path.of("..", "shared", "seed-data")}) {
      if (Files.isRegularFile(p.resolve("ship.jpg"))) {
        return p;
      }
    }
    return null;
  }

  @Test
  void theIssuesOwnCasesOnShipAndObama(Vertx vertx) {
    Path seed = seedData();
    Assumptions.assumeTrue(seed != null && GOLDEN.containsKey("seed"),
        "no ../shared/seed-data beside the clone: the same checks ran on the repository's images above");
    start(vertx);
    JsonObject ship = GOLDEN.getJsonObject("seed").getJsonObject("ship.jpg");
    byte[] jpeg = read(seed.resolve("ship.jpg"));
    assertPixels(ship.getJsonObject("resize width 800"), post("/v1/images/resize?width=800", jpeg), "ship resize 800");
    assertPixels(ship.getJsonObject("rotate 90"), post("/v1/images/rotate?angle=90", jpeg), "ship rotate 90");
    assertPixels(ship.getJsonObject("crop 100,50 300x200"), post("/v1/images/crop?x=100&y=50&w=300&h=200", jpeg), "ship crop");
    assertPixels(ship.getJsonObject("blur 5"), post("/v1/images/blur?ksize=5", jpeg), "ship blur 5");
    assertPixels(ship.getJsonObject("grayscale, resize width 800, threshold 127"),
        post("/v1/images/pipeline?steps=" + steps(800), jpeg), "ship pipeline");
    assertFaceCrop(GOLDEN.getJsonObject("seed").getJsonObject("obama1.jpeg").getJsonObject("facecrop"),
        post("/v1/images/facecrop", read(seed.resolve("obama1.jpeg"))), "obama1 facecrop");
  }

  private static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
