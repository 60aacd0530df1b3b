package dev.pixelbus.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelbus.api.AdaptiveRequest;
import dev.pixelbus.api.Addresses;
import dev.pixelbus.api.Box;
import dev.pixelbus.api.ErrorCode;
import dev.pixelbus.api.FacesReply;
import dev.pixelbus.api.FacesRequest;
import dev.pixelbus.api.GrayscaleRequest;
import dev.pixelbus.api.ImageOp;
import dev.pixelbus.api.ImageReply;
import dev.pixelbus.api.InfoReply;
import dev.pixelbus.api.InfoRequest;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.api.Size;
import dev.pixelbus.api.ThresholdReply;
import dev.pixelbus.api.ThresholdRequest;
import dev.pixelbus.image.natives.Cascades;
import dev.pixelbus.image.ops.Operations;
import dev.pixelbus.testkit.TestImages;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/** Every image address end to end over the event bus, and every error code it can answer. */
@ExtendWith(VertxExtension.class)
class ImageBusTest {
  private static final JsonObject GOLDEN = TestImages.golden().getJsonObject("images");

  @TempDir
  Path tmp;
  Vertx vertx;
  ImageServiceFixture images;

  @BeforeEach
  void deploy(Vertx vertx) {
    this.vertx = vertx;
    images = ImageServiceFixture.deploy(vertx, tmp);
    for (String name : new String[] {TestImages.ASTRONAUT_PNG, TestImages.ASTRONAUT_JPG, TestImages.SHAPES_PNG,
        TestImages.GRAY16_PNG, TestImages.RGBA_PNG}) {
      TestImages.copy(name, images.in);
    }
  }

  private static String sha256Of(byte[] encoded, int flags) {
    Mat m = Imgcodecs.imdecode(new MatOfByte(encoded), flags);
    try {
      return TestImages.sha256(m);
    } finally {
      m.release();
    }
  }

  @Test
  void infoReportsTheImageAsStored() {
    InfoReply astro = images.service.info(new InfoRequest().setFile(TestImages.ASTRONAUT_PNG)).await();
    assertEquals(256, astro.getWidth());
    assertEquals(256, astro.getHeight());
    assertEquals(3, astro.getChannels());
    assertEquals("8U", astro.getDepth());
    assertEquals("png", astro.getFormat());
    assertEquals(GOLDEN.getJsonObject(TestImages.ASTRONAUT_PNG).getJsonArray("topLeft"), astro.toJson().getJsonArray("topLeft"));
    InfoReply gray16 = images.service.info(new InfoRequest().setFile(TestImages.GRAY16_PNG)).await();
    assertEquals(1, gray16.getChannels());
    assertEquals("16U", gray16.getDepth());
    assertEquals(java.util.List.of(0.0), gray16.getTopLeft());
    JsonObject rgba = images.client.call(ImageOp.INFO, req(TestImages.RGBA_PNG)).await();
    assertEquals(4, rgba.getInteger("channels"));
    assertEquals(new JsonArray().add(10).add(20).add(30).add(128), rgba.getJsonArray("topLeft"));
  }

  @Test
  void grayscaleWritesTheFileCv2Would() throws Exception {
    ImageReply reply = images.service.grayscale(new GrayscaleRequest().setFile(TestImages.ASTRONAUT_JPG)
        .setOutput("g/astro.png")).await();
    Path written = Path.of(reply.getOutput());
    assertEquals(images.out.resolve("g/astro.png").toRealPath(), written);
    assertEquals("png", reply.getOutputFormat());
    assertNull(reply.getImage(), "the image went to the file, not the reply");
    assertTrue(reply.getMillis() >= 0);
    assertEquals(GOLDEN.getJsonObject(TestImages.ASTRONAUT_JPG).getJsonObject("grayscale").getString("sha256"),
        sha256Of(Files.readAllBytes(written), Imgcodecs.IMREAD_UNCHANGED));
  }

  @Test
  void inlineBytesInAndTheImageInTheReply() {
    byte[] png = TestImages.bytes(TestImages.SHAPES_PNG);
    ThresholdReply reply = images.service.threshold(new ThresholdRequest().setBytes(png).setOtsu(true)).await();
    JsonObject expected = GOLDEN.getJsonObject(TestImages.SHAPES_PNG).getJsonObject("threshold").getJsonObject("otsu");
    assertEquals(expected.getDouble("threshold"), reply.getThreshold());
    assertEquals(expected.getString("sha256"), sha256Of(reply.getImage(), Imgcodecs.IMREAD_UNCHANGED));
    // The same through the JSON contract, with the bytes in a Buffer as a Java caller may give them.
    JsonObject json = images.client.call(ImageOp.THRESHOLD, new JsonObject().put("input",
        new JsonObject().put("bytes", Buffer.buffer(png))).put("otsu", true)).await();
    assertEquals(expected.getString("sha256"), sha256Of(json.getBinary("image"), Imgcodecs.IMREAD_UNCHANGED));
  }

  @Test
  void base64FromJsonClientsIsAccepted() {
    // What a bridge client in another language sends: standard base64 with padding.
    String b64 = Base64.getEncoder().encodeToString(TestImages.bytes(TestImages.ASTRONAUT_PNG));
    JsonObject body = new JsonObject().put("input", new JsonObject().put("bytes", b64)).put("format", "jpg")
        .put("quality", 80);
    JsonObject reply = images.client.call(ImageOp.GRAYSCALE, body).await();
    byte[] jpg = reply.getBinary("image");
    assertEquals((byte) 0xFF, jpg[0]);
    assertEquals((byte) 0xD8, jpg[1]);
    assertEquals("jpg", reply.getString("outputFormat"));
  }

  @Test
  void adaptiveInEveryOutputFormat() throws Exception {
    String golden = GOLDEN.getJsonObject(TestImages.SHAPES_PNG).getJsonObject("adaptive").getJsonObject("mean")
        .getString("sha256");
    ImageReply png = images.service.adaptive(new AdaptiveRequest().setFile(TestImages.SHAPES_PNG).setOutput("a.png")
        .setMethod("mean")).await();
    assertEquals(golden, sha256Of(Files.readAllBytes(Path.of(png.getOutput())), Imgcodecs.IMREAD_UNCHANGED));
    ImageReply webp = images.service.adaptive(new AdaptiveRequest().setFile(TestImages.SHAPES_PNG).setOutput("a.webp")
        .setMethod("mean").setQuality(101)).await();
    assertEquals("webp", webp.getOutputFormat());
    assertEquals(golden, sha256Of(Files.readAllBytes(Path.of(webp.getOutput())), Imgcodecs.IMREAD_GRAYSCALE),
        "webp quality above 100 is lossless");
    ImageReply jpg = images.service.adaptive(new AdaptiveRequest().setFile(TestImages.SHAPES_PNG).setOutput("a.jpg")
        .setQuality(50)).await();
    assertEquals("jpg", jpg.getOutputFormat());
    assertTrue(Files.size(Path.of(jpg.getOutput())) > 0);
  }

  @Test
  void facesFindsTheAstronautAndNothingInShapes() throws Exception {
    FacesReply astro = images.service.faces(new FacesRequest().setFile(TestImages.ASTRONAUT_PNG).setOutput("boxed.jpg"))
        .await();
    JsonArray expected = GOLDEN.getJsonObject(TestImages.ASTRONAUT_PNG).getJsonArray("faces").getJsonArray(0);
    assertEquals(1, astro.getFaces().size());
    Box face = astro.getFaces().get(0);
    assertEquals(new Box(expected.getInteger(0), expected.getInteger(1), expected.getInteger(2), expected.getInteger(3)),
        face);
    // The box is drawn in green, thickness 2, on the colour image.
    Mat boxed = Imgcodecs.imread(astro.getOutput());
    double[] px = boxed.get(face.y(), face.x() + face.w() / 2);
    boxed.release();
    assertTrue(px[1] > 200 && px[0] < 60 && px[2] < 60, Arrays.toString(px));
    FacesReply none = images.service.faces(new FacesRequest().setFile(TestImages.SHAPES_PNG).setDraw(false)).await();
    assertEquals(0, none.getFaces().size());
    assertNull(none.getImage());
    FacesReply strict = images.service.faces(new FacesRequest().setFile(TestImages.ASTRONAUT_PNG).setDraw(false)
        .setMinSize(new Size(100, 100))).await();
    assertEquals(0, strict.getFaces().size(), "the astronaut's face is about 53 px");
    JsonObject asList = images.client.call(ImageOp.FACES, req(TestImages.ASTRONAUT_PNG, "draw", false, "minSize",
        new JsonArray().add(100).add(100))).await();
    assertEquals(0, asList.getJsonArray("faces").size(), "[w, h] is the JSON contract's other form of a size");
  }

  @Test
  void aCascadeCanBeNamedInTheRequest() throws Exception {
    Path cascade = images.in.resolve("my-cascade.xml");
    Files.copy(Cascades.bundled(null), cascade);
    FacesReply reply = images.service.faces(new FacesRequest().setFile(TestImages.ASTRONAUT_PNG)
        .setCascade("my-cascade.xml").setDraw(false)).await();
    assertEquals(1, reply.getFaces().size());
  }

  private void assertFails(ErrorCode code, String op, JsonObject body, String fragment) {
    PixelbusException e = ImageServiceFixture.failure(images.client.call(ImageOp.parse(op), body));
    assertEquals(code.code, e.failureCode(), op + " " + body + ": " + e.getMessage());
    assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' should mention '" + fragment + "'");
  }

  private static JsonObject req(String input, Object... kv) {
    JsonObject j = new JsonObject().put("input", input);
    for (int i = 0; i < kv.length; i += 2) {
      j.put((String) kv[i], kv[i + 1]);
    }
    return j;
  }

  @Test
  void badParametersAre400AndNameTheParameter() {
    String a = TestImages.ASTRONAUT_PNG;
    assertFails(ErrorCode.BAD_REQUEST, "adaptive", req(a, "blockSize", 4), "blockSize");
    assertFails(ErrorCode.BAD_REQUEST, "adaptive", req(a, "blockSize", 1), "blockSize");
    assertFails(ErrorCode.BAD_REQUEST, "adaptive", req(a, "blockSize", "11"), "blockSize");
    assertFails(ErrorCode.BAD_REQUEST, "adaptive", req(a, "method", "median"), "method");
    assertFails(ErrorCode.BAD_REQUEST, "adaptive", req(a, "type", "trunc"), "type");
    assertFails(ErrorCode.BAD_REQUEST, "adaptive", req(a, "blocksize", 11), "blocksize");
    assertFails(ErrorCode.BAD_REQUEST, "faces", req(a, "scaleFactor", 1.0), "scaleFactor");
    assertFails(ErrorCode.BAD_REQUEST, "faces", req(a, "minNeighbors", -1), "minNeighbors");
    assertFails(ErrorCode.BAD_REQUEST, "faces", req(a, "minSize", new JsonArray().add(90).add(90), "maxSize",
        new JsonArray().add(30).add(30)), "minSize");
    assertFails(ErrorCode.BAD_REQUEST, "threshold", req(a, "type", "sideways"), "type");
    assertFails(ErrorCode.BAD_REQUEST, "threshold", req(a, "value", 300), "value");
    assertFails(ErrorCode.BAD_REQUEST, "threshold", req(a, "otsu", true, "triangle", true), "otsu");
    assertFails(ErrorCode.BAD_REQUEST, "grayscale", req(a, "format", "gif"), "format");
    assertFails(ErrorCode.BAD_REQUEST, "grayscale", req(a, "output", "x.bmp"), "extension");
    assertFails(ErrorCode.BAD_REQUEST, "grayscale", req(a, "quality", 0), "quality");
    assertFails(ErrorCode.BAD_REQUEST, "grayscale", new JsonObject(), "input");
    assertFails(ErrorCode.BAD_REQUEST, "grayscale", new JsonObject().put("input", new JsonObject().put("bytes", "%%%")),
        "base64");
  }

  @Test
  void pathsOutsideTheRootsAre403AndMissingFiles404() throws Exception {
    Path secret = TestImages.copy(TestImages.SHAPES_PNG, tmp.resolve("secret"));
    Files.createSymbolicLink(images.in.resolve("link.png"), secret);
    assertFails(ErrorCode.FORBIDDEN, "info", req("../secret/shapes.png"), "..");
    assertFails(ErrorCode.FORBIDDEN, "info", req(secret.toString()), "outside");
    assertFails(ErrorCode.FORBIDDEN, "info", req("link.png"), "symbolic link");
    assertFails(ErrorCode.FORBIDDEN, "grayscale", req(TestImages.SHAPES_PNG, "output", "../escape.png"), "..");
    assertFails(ErrorCode.FORBIDDEN, "grayscale", req(TestImages.SHAPES_PNG, "output", tmp.resolve("x.png").toString()),
        "outside");
    assertFails(ErrorCode.NOT_FOUND, "info", req("missing.png"), "missing.png");
    assertFails(ErrorCode.NOT_FOUND, "faces", req(TestImages.ASTRONAUT_PNG, "cascade", "missing.xml"), "missing.xml");
    assertFalse(Files.exists(tmp.resolve("escape.png")));
  }

  @Test
  void aBombHeaderIs413BeforeAnyAllocation() throws Exception {
    Files.write(images.in.resolve("bomb.png"), TestImages.pngClaiming(50_000, 50_000));
    Runtime rt = Runtime.getRuntime();
    assertFails(ErrorCode.TOO_LARGE, "grayscale", req("bomb.png"), "2500.0 megapixels");
    JsonObject inline = new JsonObject().put("input",
        new JsonObject().put("bytes", Buffer.buffer(TestImages.pngClaiming(20_000, 20_000))));
    assertFails(ErrorCode.TOO_LARGE, "info", inline, "image.maxPixels");
    assertTrue(rt.totalMemory() < 2L << 30, "the heap never grew towards the 7 GB the header claims");
  }

  @Test
  void notImagesAndTruncatedImagesAre415() throws Exception {
    Files.writeString(images.in.resolve("notes.png"), "these are my notes, not a picture");
    byte[] jpg = TestImages.bytes(TestImages.ASTRONAUT_JPG);
    Files.write(images.in.resolve("half.jpg"), Arrays.copyOf(jpg, jpg.length / 2));
    byte[] png = TestImages.bytes(TestImages.ASTRONAUT_PNG);
    Files.write(images.in.resolve("half.png"), Arrays.copyOf(png, png.length / 2));
    Files.writeString(images.in.resolve("bad-cascade.xml"), "<opencv_storage></opencv_storage>");
    Files.write(images.in.resolve("empty.png"), new byte[0]);
    assertFails(ErrorCode.UNSUPPORTED_MEDIA, "grayscale", req("notes.png"), "not a supported image");
    assertFails(ErrorCode.UNSUPPORTED_MEDIA, "grayscale", req("half.jpg"), "truncated JPEG");
    assertFails(ErrorCode.UNSUPPORTED_MEDIA, "grayscale", req("half.png"), "not a readable image");
    assertFails(ErrorCode.UNSUPPORTED_MEDIA, "grayscale", req("empty.png"), "empty");
    assertFails(ErrorCode.UNSUPPORTED_MEDIA, "faces", req(TestImages.ASTRONAUT_PNG, "cascade", "bad-cascade.xml"),
        "cascade");
    // Nothing else was harmed: the same workers still answer.
    assertEquals(256, images.service.info(new InfoRequest().setFile(TestImages.ASTRONAUT_PNG)).await().getWidth());
  }

  @Test
  void aFileOverTheByteLimitIs413(@TempDir Path other) {
    Vertx own = Vertx.vertx();
    ImageServiceFixture small = ImageServiceFixture.deploy(own, other, c -> c.put("maxInputBytes", 100_000));
    try {
      TestImages.copy(TestImages.ASTRONAUT_PNG, small.in);
      PixelbusException e = ImageServiceFixture.failure(small.service.info(new InfoRequest()
          .setFile(TestImages.ASTRONAUT_PNG)));
      assertEquals(ErrorCode.TOO_LARGE.code, e.failureCode());
      assertTrue(e.getMessage().contains("image.maxInputBytes"), e.getMessage());
    } finally {
      own.close().await();
    }
  }

  @Test
  void aCascadeCanBeConfiguredAndAMissingOneStopsTheStart(@TempDir Path other) throws Exception {
    Path cascade = Files.copy(Cascades.bundled(null), other.resolve("configured.xml"));
    Vertx own = Vertx.vertx();
    try {
      ImageServiceFixture configured = ImageServiceFixture.deploy(own, other, c -> c.put("cascade", cascade.toString()));
      TestImages.copy(TestImages.ASTRONAUT_PNG, configured.in);
      assertEquals(1, configured.service.faces(new FacesRequest().setFile(TestImages.ASTRONAUT_PNG).setDraw(false))
          .await().getFaces().size());
      Throwable e = org.junit.jupiter.api.Assertions.assertThrows(Throwable.class, () -> ImageModule.deploy(own,
          ImageServiceFixture.config(other, other, c -> c.put("cascade", other.resolve("none.xml").toString()))).await());
      assertTrue(e.getMessage().contains("none.xml"), e.getMessage());
    } finally {
      own.close().await();
    }
  }

  @Test
  void anUnknownOpHasNoAddress() {
    PixelbusException e = org.junit.jupiter.api.Assertions.assertThrows(PixelbusException.class,
        () -> ImageOp.parse("emboss"));
    assertEquals(ErrorCode.BAD_REQUEST.code, e.failureCode());
    assertTrue(e.getMessage().contains("emboss"), e.getMessage());
    Future<?> raw = vertx.eventBus().request("pixelbus.image.emboss", req(TestImages.ASTRONAUT_PNG));
    assertEquals(ErrorCode.BUSY.code, ImageServiceFixture.failure(raw).failureCode(), "nothing serves the address");
  }

  @Test
  void theTypedServiceFailsWithTheContractsCodes() throws Exception {
    Files.writeString(images.in.resolve("notes.png"), "not a picture");
    PixelbusException e = ImageServiceFixture.failure(images.service.grayscale(new GrayscaleRequest().setFile("notes.png")));
    assertEquals(ErrorCode.UNSUPPORTED_MEDIA.code, e.failureCode(), e.getMessage());
    e = ImageServiceFixture.failure(images.service.adaptive(new AdaptiveRequest().setFile(TestImages.SHAPES_PNG)
        .setBlockSize(4)));
    assertEquals(ErrorCode.BAD_REQUEST.code, e.failureCode());
    assertTrue(e.getMessage().contains("blockSize"), e.getMessage());
    e = ImageServiceFixture.failure(images.service.info(new InfoRequest().setFile("../outside.png")));
    assertEquals(ErrorCode.FORBIDDEN.code, e.failureCode());
    e = ImageServiceFixture.failure(images.service.info(new InfoRequest().setFile("missing.png")));
    assertEquals(ErrorCode.NOT_FOUND.code, e.failureCode());
  }

  /** The table, as GET /v1/ops and any bridge client read it: every operation, its parameters and reply fields. */
  @Test
  void theTableOfOperationsIsOnTheBus() {
    JsonObject table = vertx.eventBus().<JsonObject>request(Addresses.IMAGE_OPS, new JsonObject()).await().body();
    JsonArray ops = table.getJsonArray("ops");
    assertEquals(Operations.labels(), ops.stream().map(o -> ((JsonObject) o).getString("name")).toList());
    for (ImageOp op : ImageOp.values()) {
      if (op != ImageOp.PIPELINE) {
        assertTrue(ops.stream().anyMatch(o -> ((JsonObject) o).getString("address").equals(op.address())), op.label());
      }
    }
    JsonObject sharpen = ops.stream().map(o -> (JsonObject) o).filter(o -> o.getString("name").equals("sharpen"))
        .findFirst().orElseThrow();
    JsonObject sigma = sharpen.getJsonArray("params").getJsonObject(0);
    assertEquals("sigma", sigma.getString("name"));
    assertEquals("number", sigma.getString("type"));
    assertEquals(1.0, sigma.getDouble("default"));
    assertEquals(0, sigma.getInteger("above"));
    JsonObject amount = sharpen.getJsonArray("params").getJsonObject(1);
    assertEquals(List.of("amount", 1.0, 0), List.of(amount.getString("name"), amount.getDouble("default"),
        amount.getInteger("min")));
    JsonObject threshold = ops.getJsonObject(2);
    assertEquals("the threshold used (computed for otsu and triangle)", threshold.getJsonObject("reply").getString("threshold"));
    assertEquals(List.of("binary", "binary_inv", "trunc", "tozero", "tozero_inv"),
        threshold.getJsonArray("params").getJsonObject(2).getJsonArray("choices").getList());
    assertEquals(16, table.getJsonObject("pipeline").getInteger("maxSteps"));
    assertEquals(List.of("info", "faces"), table.getJsonObject("pipeline").getJsonArray("lastOnly").getList());
  }
}
