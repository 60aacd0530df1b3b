package dev.pixelbus.image.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelbus.api.ImageOp;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.image.ops.Adaptive;
import dev.pixelbus.image.ops.Faces;
import dev.pixelbus.image.ops.OutputFormat;
import dev.pixelbus.image.ops.Threshold;
import dev.pixelbus.image.ops.ThresholdType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The request side of the contract: a JSON body to a checked job, with the course's defaults. */
class ImageRequestsTest {
  private static JsonObject body(Object... kv) {
    JsonObject j = new JsonObject().put("input", "ship.jpg");
    for (int i = 0; i < kv.length; i += 2) {
      j.put((String) kv[i], kv[i + 1]);
    }
    return j;
  }

  private static String refusal(ImageOp op, JsonObject body) {
    PixelbusException e = assertThrows(PixelbusException.class, () -> ImageRequests.parse(op, body));
    assertEquals(400, e.failureCode());
    return e.getMessage();
  }

  @Test
  void theDefaultsAreTheCourses() {
    ImageJob threshold = ImageRequests.parse(ImageOp.THRESHOLD, body());
    assertEquals(Threshold.Spec.DEFAULT, threshold.last().spec());
    assertEquals(OutputFormat.PNG, threshold.format(), "no output file: a PNG in the reply");
    assertNull(threshold.output());
    assertEquals(Adaptive.Spec.DEFAULT, ImageRequests.parse(ImageOp.ADAPTIVE, body()).last().spec());
    assertEquals(Faces.Spec.DEFAULT, ImageRequests.parse(ImageOp.FACES, body()).last().spec());
    assertEquals(new ImageJob.FileInput("ship.jpg"), ImageRequests.parse(ImageOp.INFO, body()).input());
  }

  @Test
  void parametersBecomeTheSpec() {
    Threshold.Spec t = (Threshold.Spec) ImageRequests.parse(ImageOp.THRESHOLD,
        body("value", 100, "type", "tozero", "otsu", true)).last().spec();
    assertEquals(new Threshold.Spec(100, 255, ThresholdType.TOZERO, Threshold.Auto.OTSU), t);
    Faces.Spec f = (Faces.Spec) ImageRequests.parse(ImageOp.FACES, body("scaleFactor", 1.2,
        "minSize", new JsonArray().add(30).add(30), "draw", false)).last().spec();
    assertEquals(new Faces.FaceSize(30, 30), f.minSize());
    assertEquals(1.2, f.scaleFactor());
  }

  @Test
  void theOutputsExtensionOrFormatChoosesTheEncoding() {
    assertEquals(OutputFormat.JPEG, ImageRequests.parse(ImageOp.GRAYSCALE, body("output", "g.jpg")).format());
    assertEquals(OutputFormat.WEBP, ImageRequests.parse(ImageOp.GRAYSCALE, body("format", "webp")).format());
    assertEquals(101, ImageRequests.parse(ImageOp.GRAYSCALE, body("format", "webp", "quality", 101)).quality(),
        "a WebP quality over 100 is lossless");
    assertTrue(refusal(ImageOp.GRAYSCALE, body("output", "g.jpg", "format", "png")).contains("contradicts"));
    assertTrue(refusal(ImageOp.GRAYSCALE, body("format", "jpg", "quality", 101)).contains("between 1 and 100"));
    assertTrue(refusal(ImageOp.GRAYSCALE, body("output", "g")).contains("needs an extension"));
  }

  @Test
  void whatDoesNotApplyIsRefused() {
    assertTrue(refusal(ImageOp.INFO, body("output", "x.png")).contains("unknown parameter"));
    assertTrue(refusal(ImageOp.GRAYSCALE, body("value", 100)).contains("[value]"));
    assertTrue(refusal(ImageOp.THRESHOLD, body("otsu", true, "triangle", true)).contains("cannot both"));
    assertTrue(refusal(ImageOp.GRAYSCALE, new JsonObject()).startsWith("input is missing"));
    assertTrue(refusal(ImageOp.GRAYSCALE, new JsonObject().put("input", 3)).startsWith("input must be"));
  }
}
