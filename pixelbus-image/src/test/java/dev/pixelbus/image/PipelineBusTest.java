package dev.pixelbus.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelbus.api.BlurRequest;
import dev.pixelbus.api.Box;
import dev.pixelbus.api.CropRequest;
import dev.pixelbus.api.ErrorCode;
import dev.pixelbus.api.FaceCropReply;
import dev.pixelbus.api.FaceCropRequest;
import dev.pixelbus.api.FlipRequest;
import dev.pixelbus.api.ImageOp;
import dev.pixelbus.api.ImageReply;
import dev.pixelbus.api.PipelineReply;
import dev.pixelbus.api.PipelineRequest;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.api.ResizeRequest;
import dev.pixelbus.api.RotateRequest;
import dev.pixelbus.api.SharpenRequest;
import dev.pixelbus.testkit.TestImages;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * The geometry operations, facecrop and pipelines end to end over the event bus (typed proxy and JSON),
 * each result compared pixel for pixel with cv2's (golden.json), and every refusal with its code.
 */
@ExtendWith(VertxExtension.class)
class PipelineBusTest {
  private static final JsonObject GOLDEN = TestImages.golden().getJsonObject("images");
  private static final String ASTRO = TestImages.ASTRONAUT_PNG;

  @TempDir
  Path tmp;

  private ImageServiceFixture deploy(Vertx vertx, long maxPixels) {
    ImageServiceFixture images = ImageServiceFixture.deploy(vertx, tmp, c -> c.put("maxPixels", maxPixels));
    TestImages.copy(ASTRO, images.in);
    TestImages.copy(TestImages.SHAPES_PNG, images.in);
    return images;
  }

  private static JsonObject golden(String image, String key) {
    return GOLDEN.getJsonObject(image).getJsonObject("geometry").getJsonObject(key);
  }

  /** The reply's PNG, decoded as cv2.imread would, against cv2's pixels. */
  private static void assertPixels(JsonObject expected, ImageReply reply, String what) {
    Mat m = Imgcodecs.imdecode(new MatOfByte(reply.getImage()), Imgcodecs.IMREAD_UNCHANGED);
    try {
      assertEquals(expected.getInteger("width"), m.cols(), what + " width");
      assertEquals(expected.getInteger("height"), m.rows(), what + " height");
      assertEquals(expected.getInteger("width"), reply.getOutputWidth(), what + " outputWidth");
      assertEquals(expected.getInteger("channels"), m.channels(), what + " channels");
      assertEquals(expected.getString("sha256"), TestImages.sha256(m), what + " pixels");
    } finally {
      m.release();
    }
  }

  @Test
  void eachNewOperationMatchesCv2OverTheTypedApi(Vertx vertx) {
    ImageServiceFixture images = deploy(vertx, 100_000_000L);
    var s = images.service;
    assertPixels(golden(ASTRO, "resize width 200"), s.resize(new ResizeRequest().setFile(ASTRO).setWidth(200)).await(), "resize");
    assertPixels(golden(ASTRO, "resize 100x60 cover"),
        s.resize(new ResizeRequest().setFile(ASTRO).setWidth(100).setHeight(60).setFit("cover")).await(), "cover");
    assertPixels(golden(ASTRO, "crop 10,20 100x50"),
        s.crop(new CropRequest().setFile(ASTRO).setX(10).setY(20).setW(100).setH(50)).await(), "crop");
    assertPixels(golden(ASTRO, "rotate 270"), s.rotate(new RotateRequest().setFile(ASTRO).setAngle(270)).await(), "rotate");
    assertPixels(golden(ASTRO, "flip both"), s.flip(new FlipRequest().setFile(ASTRO).setAxis("both")).await(), "flip");
    assertPixels(golden(ASTRO, "blur 9 sigma 2.5"),
        s.blur(new BlurRequest().setFile(ASTRO).setKsize(9).setSigma(2.5)).await(), "blur");
    assertPixels(golden(ASTRO, "blur 5"), s.blur(new BlurRequest().setFile(ASTRO)).await(), "blur default ksize 5");
  }

  /** The operation added through the table alone: the typed proxy, the JSON address and a pipeline's step. */
  @Test
  void sharpenMatchesCv2OnEveryWayIn(Vertx vertx) {
    ImageServiceFixture images = deploy(vertx, 100_000_000L);
    assertPixels(golden(ASTRO, "sharpen"), images.service.sharpen(new SharpenRequest().setFile(ASTRO)).await(),
        "typed, defaults");
    assertPixels(golden(ASTRO, "sharpen sigma 2.5 amount 0.6"),
        images.service.sharpen(new SharpenRequest().setFile(ASTRO).setSigma(2.5).setAmount(0.6)).await(), "typed");
    assertPixels(golden(ASTRO, "sharpen sigma 0.8 amount 3"), new ImageReply(images.client.call(ImageOp.SHARPEN,
        new JsonObject().put("input", ASTRO).put("sigma", 0.8).put("amount", 3)).await()), "JSON address");
    assertPixels(golden(ASTRO, "grayscale, sharpen sigma 1.5"), images.service.pipeline(new PipelineRequest().setFile(ASTRO)
        .addStep(ImageOp.GRAYSCALE).addStep(ImageOp.SHARPEN, new JsonObject().put("sigma", 1.5))).await(), "pipeline");
    assertRefused(ErrorCode.BAD_REQUEST, images.service.sharpen(new SharpenRequest().setFile(ASTRO).setSigma(0.0)),
        "sigma must be above 0 and at most 100, not 0");
    assertRefused(ErrorCode.BAD_REQUEST, images.client.call(ImageOp.SHARPEN, new JsonObject().put("input", ASTRO)
        .put("radius", 2)), "unknown parameter [radius]");
  }

  @Test
  void facecropHoldsTheLargestFaceCv2Finds(Vertx vertx) {
    ImageServiceFixture images = deploy(vertx, 100_000_000L);
    for (String key : new String[] {"facecrop", "facecrop 64x64"}) {
      JsonObject expected = golden(ASTRO, key);
      FaceCropRequest request = new FaceCropRequest().setFile(ASTRO);
      if (key.endsWith("64x64")) {
        request.setWidth(64).setHeight(64);
      }
      FaceCropReply reply = images.service.facecrop(request).await();
      JsonArray face = expected.getJsonArray("face");
      assertEquals(new Box(face.getInteger(0), face.getInteger(1), face.getInteger(2), face.getInteger(3)), reply.getFace(), key);
      JsonArray crop = expected.getJsonArray("crop");
      assertEquals(new Box(crop.getInteger(0), crop.getInteger(1), crop.getInteger(2), crop.getInteger(3)), reply.getCrop(), key);
      Box f = reply.getFace();
      Box c = reply.getCrop();
      assertTrue(c.x() <= f.x() && c.y() <= f.y() && c.x() + c.w() >= f.x() + f.w() && c.y() + c.h() >= f.y() + f.h(),
          key + ": the crop " + c + " holds the face " + f);
      assertPixels(expected, reply, key);
    }
  }

  @Test
  void facecropWithoutAFaceIsFaceNotFoundOrTheCentre(Vertx vertx) {
    ImageServiceFixture images = deploy(vertx, 100_000_000L);
    PixelbusException e = ImageServiceFixture.failure(images.service.facecrop(new FaceCropRequest().setFile(TestImages.SHAPES_PNG)));
    assertEquals(ErrorCode.NOT_FOUND.code, e.failureCode());
    assertTrue(e.getMessage().startsWith("faceNotFound"), e.getMessage());
    FaceCropReply centre = images.service.facecrop(new FaceCropRequest().setFile(TestImages.SHAPES_PNG).setFallback("center")
        .setWidth(50).setHeight(50)).await();
    assertEquals("center", centre.getFallback());
    assertNull(centre.getFace());
    assertEquals(50, centre.getOutputWidth());
    assertEquals(50, centre.getOutputHeight());
  }

  @Test
  void aPipelineDecodesOnceAndMatchesCv2StepByStep(Vertx vertx) {
    ImageServiceFixture images = deploy(vertx, 100_000_000L);
    PipelineReply reply = images.service.pipeline(new PipelineRequest().setFile(ASTRO)
        .addStep(ImageOp.GRAYSCALE)
        .addStep(ImageOp.RESIZE, new JsonObject().put("width", 200))
        .addStep(ImageOp.THRESHOLD, new JsonObject().put("value", 127))).await();
    assertPixels(golden(ASTRO, "grayscale, resize width 200, threshold 127"), reply, "pipeline");
    assertEquals(3, reply.getStepMillis().size(), "one time per step");
    assertEquals(127.0, reply.asThreshold().getThreshold());
    // The same steps as JSON text, as a query string or the command line gives them, and ending in JSON.
    JsonObject info = images.client.call(ImageOp.PIPELINE, new JsonObject().put("input", ASTRO)
        .put("steps", "[{\"op\":\"rotate\",\"angle\":90},{\"op\":\"crop\",\"w\":30,\"h\":40},\"info\"]")).await();
    assertEquals(30, info.getInteger("infoWidth"));
    assertEquals(40, info.getInteger("infoHeight"));
    assertNull(info.getValue("image"), "info answers JSON");
    JsonObject faces = images.client.call(ImageOp.PIPELINE, new JsonObject().put("input", ASTRO)
        .put("steps", new JsonArray().add(new JsonObject().put("op", "flip").put("axis", "h")).add("faces"))).await();
    assertEquals(1, faces.getJsonArray("faces").size());
    assertNull(faces.getValue("image"), "faces in a pipeline answers JSON");
  }

  private static void assertRefused(ErrorCode code, Future<?> call, String... fragments) {
    PixelbusException e = ImageServiceFixture.failure(call);
    assertEquals(code.code, e.failureCode(), e.getMessage());
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), "'" + e.getMessage() + "' should mention '" + f + "'");
    }
  }

  private static JsonObject pipeline(Object steps) {
    return new JsonObject().put("input", ASTRO).put("steps", steps);
  }

  @Test
  void aBadStepIs400NamingItsIndexAndOp(Vertx vertx) {
    ImageServiceFixture images = deploy(vertx, 100_000_000L);
    var c = images.client;
    assertRefused(ErrorCode.BAD_REQUEST, c.call(ImageOp.PIPELINE, pipeline(new JsonArray().add("grayscale").add("emboss"))),
        "step 1 (emboss)", "unknown op 'emboss'");
    assertRefused(ErrorCode.BAD_REQUEST, c.call(ImageOp.PIPELINE, pipeline(new JsonArray().add("info").add("grayscale"))),
        "step 0 (info)", "only be the last step");
    assertRefused(ErrorCode.BAD_REQUEST, c.call(ImageOp.PIPELINE, pipeline(new JsonArray()
        .add(new JsonObject().put("op", "resize").put("width", 100).put("heigth", 50)))), "step 0 (resize)",
        "unknown parameter [heigth] for step 0 (resize)");
    assertRefused(ErrorCode.BAD_REQUEST, c.call(ImageOp.PIPELINE, pipeline(new JsonArray()
        .add(new JsonObject().put("op", "blur").put("ksize", 4)))), "step 0 (blur)", "ksize must be odd");
    JsonArray seventeen = new JsonArray();
    for (int i = 0; i < 17; i++) {
      seventeen.add("grayscale");
    }
    assertRefused(ErrorCode.BAD_REQUEST, c.call(ImageOp.PIPELINE, pipeline(seventeen)), "at most 16 steps");
    assertRefused(ErrorCode.BAD_REQUEST, c.call(ImageOp.PIPELINE, pipeline(new JsonArray().add("pipeline"))),
        "a pipeline cannot be a step");
    assertRefused(ErrorCode.BAD_REQUEST, c.call(ImageOp.PIPELINE, new JsonObject().put("input", ASTRO)), "steps", "missing");
    // Known only once the image is decoded: still named by its step.
    assertRefused(ErrorCode.BAD_REQUEST, c.call(ImageOp.PIPELINE, pipeline(new JsonArray().add("grayscale")
        .add(new JsonObject().put("op", "crop").put("x", 250).put("w", 10).put("h", 10)))), "step 1 (crop)", "outside the 256x256");
    // A pipeline of one step is still a pipeline: its step is named, and timed.
    assertRefused(ErrorCode.BAD_REQUEST, c.call(ImageOp.PIPELINE, pipeline(new JsonArray()
        .add(new JsonObject().put("op", "crop").put("x", 250).put("w", 10).put("h", 10)))), "step 0 (crop)");
    JsonObject one = c.call(ImageOp.PIPELINE, pipeline(new JsonArray().add(new JsonObject().put("op", "rotate")
        .put("angle", 90)))).await();
    assertEquals(1, one.getJsonObject("timings").getJsonArray("steps").size(), one.getJsonObject("timings").encode());
    assertRefused(ErrorCode.BAD_REQUEST, c.call(ImageOp.ROTATE, new JsonObject().put("input", ASTRO)), "rotate needs angle");
    assertRefused(ErrorCode.BAD_REQUEST, c.call(ImageOp.FLIP, new JsonObject().put("input", ASTRO).put("axis", "x")),
        "axis must be 'h', 'v' or 'both'");
  }

  @Test
  void aResizeOverTheLimitIs413BeforeItAllocates(Vertx vertx) {
    // 256x256 = 65,536 pixels in; the limit lets in 100,000.
    ImageServiceFixture images = deploy(vertx, 100_000L);
    assertRefused(ErrorCode.TOO_LARGE, images.service.resize(new ResizeRequest().setFile(ASTRO).setScale(2.0)),
        "resize to 512×512", "image.maxPixels");
    assertRefused(ErrorCode.TOO_LARGE, images.client.call(ImageOp.PIPELINE, pipeline(new JsonArray()
        .add(new JsonObject().put("op", "resize").put("width", 400)).add("grayscale"))), "step 0 (resize)", "image.maxPixels");
    assertRefused(ErrorCode.TOO_LARGE, images.service.facecrop(new FaceCropRequest().setFile(ASTRO).setWidth(400).setHeight(400)),
        "facecrop to 400×400");
    assertEquals(200, images.service.resize(new ResizeRequest().setFile(ASTRO).setWidth(200)).await().getOutputWidth(),
        "and the workers go on serving");
  }
}
