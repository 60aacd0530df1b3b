package dev.pixelbus.image.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelbus.api.Box;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.common.Params;
import dev.pixelbus.image.natives.OpenCvNative;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

/** The sizes a resize gives, and the refusals of the geometry operations, each with its message. */
class GeometrySpecsTest {

  private static int[] size(Resize.Spec r, int w, int h) {
    return r.resultSize(w, h);
  }

  @Test
  void aMissingSideKeepsTheAspectRatioRoundedHalfUp() {
    // ship.jpg is 1577x1118: 800 wide is 1118 * 800 / 1577 = 567.1 high.
    assertArrayEquals(new int[] {800, 567}, size(new Resize.Spec(800, null, null, null, null), 1577, 1118));
    assertArrayEquals(new int[] {3, 2}, size(new Resize.Spec(3, null, null, null, null), 4, 3)); // 2.25
    assertArrayEquals(new int[] {2, 1}, size(new Resize.Spec(null, 1, null, null, null), 5, 3)); // 1.67
    assertArrayEquals(new int[] {1, 1}, size(new Resize.Spec(1, null, null, null, null), 1000, 10)); // at least 1
    assertArrayEquals(new int[] {789, 559}, size(new Resize.Spec(null, null, 0.5, null, null), 1577, 1118));
  }

  @Test
  void fitDecidesWhatABoxDoes() {
    assertArrayEquals(new int[] {100, 71}, size(new Resize.Spec(100, 100, null, Resize.Fit.INSIDE, null), 1577, 1118));
    assertArrayEquals(new int[] {100, 100}, size(new Resize.Spec(100, 100, null, Resize.Fit.COVER, null), 1577, 1118));
    assertArrayEquals(new int[] {141, 100}, new Resize.Spec(100, 100, null, Resize.Fit.COVER, null).scaledSize(1577, 1118));
    assertArrayEquals(new int[] {100, 100}, size(new Resize.Spec(100, 100, null, Resize.Fit.FILL, null), 1577, 1118));
  }

  @Test
  void interpolationIsAreaWhenShrinkingAndLinearOtherwise() {
    assertEquals(Imgproc.INTER_AREA, Resize.Interpolation.AUTO.flagFor(100, 99));
    assertEquals(Imgproc.INTER_LINEAR, Resize.Interpolation.AUTO.flagFor(100, 100));
    assertEquals(Imgproc.INTER_CUBIC, ((Resize.Spec) parse("resize", "width", 10, "interpolation", "cubic")).interpolation().flagFor(100, 10));
  }

  @Test
  void badParametersAre400AndSayWhy() {
    assertRefused("resize needs width, height or scale", () -> parse("resize"));
    assertRefused("not both", () -> parse("resize", "width", 10, "scale", 2.0));
    assertRefused("width must be between 1 and 65536, not 0", () -> parse("resize", "width", 0));
    assertRefused("scale must be above 0", () -> parse("resize", "scale", -1.0));
    assertRefused("fit must be 'inside', 'cover' or 'fill', not 'squash'", () -> parse("resize", "width", 9, "fit", "squash"));
    assertRefused("angle must be 90, 180 or 270", () -> parse("rotate", "angle", 45));
    assertRefused("axis must be 'h', 'v' or 'both', not 'x'", () -> parse("flip", "axis", "x"));
    assertRefused("ksize must be odd", () -> parse("blur", "ksize", 4));
    // Each parameter's refusal names it (this one said "crop needs x, y of 0 or more ..." before the table).
    assertRefused("x must be 0 or more, not -1", () -> parse("crop", "x", -1, "w", 10, "h", 10));
    assertRefused("sigma must be above 0 and at most 100, not 0", () -> parse("sharpen", "sigma", 0));
    assertRefused("amount must be between 0 and 100, not -1", () -> parse("sharpen", "amount", -1));
  }

  @Test
  void aCropOutsideTheImageIs400() {
    OpenCvNative.load();
    Mat image = new Mat(50, 80, CvType.CV_8UC3);
    try {
      assertRefused("crop 70,0 20x10 is outside the 80x50 image",
          () -> Crop.crop(image, new Crop.Spec(70, 0, 20, 10)));
      Mat whole = Crop.crop(image, new Crop.Spec(0, 0, 80, 50));
      assertEquals(80, whole.cols());
      whole.release();
    } finally {
      image.release();
    }
  }

  private static void assertRefused(String part, org.junit.jupiter.api.function.Executable call) {
    PixelbusException e = assertThrows(PixelbusException.class, call);
    assertEquals(400, e.failureCode());
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }

  private static FaceCrop.Spec faceCrop(Integer width, Integer height) {
    return new FaceCrop.Spec(Faces.Spec.DEFAULT, FaceCrop.DEFAULT_MARGIN, width, height, null);
  }

  /** An operation's parameters, as a request gives them, parsed by the table's operation. */
  private static Object parse(String op, Object... kv) {
    JsonObject body = new JsonObject();
    for (int i = 0; i < kv.length; i += 2) {
      body.put((String) kv[i], kv[i + 1]);
    }
    Params p = new Params(body, op);
    Object spec = Operations.parse(op).parse(p, false);
    p.rejectUnknown();
    return spec;
  }

  @Test
  void aFaceCropGrowsTheFaceByItsMarginAndStaysInsideTheImage() {
    // A 100x80 face at (200, 100) in a 640x480 image: 30 and 24 pixels more on every side.
    assertEquals(new Box(170, 76, 160, 128), faceCrop(null, null).box(640, 480, new Box(200, 100, 100, 80)));
    // At the top-left corner the growth is clipped, not shifted.
    assertEquals(new Box(0, 0, 130, 104), faceCrop(null, null).box(640, 480, new Box(0, 0, 100, 80)));
    // A zero margin is the face itself.
    assertEquals(new Box(200, 100, 100, 80),
        new FaceCrop.Spec(Faces.Spec.DEFAULT, 0, null, null, null).box(640, 480, new Box(200, 100, 100, 80)));
  }

  @Test
  void aFaceCropToASizeTakesItsAspectRatioAroundTheFace() {
    // 160x128 grown box, square asked: 160x160 around the face's centre (250, 140).
    assertEquals(new Box(170, 60, 160, 160), faceCrop(64, 64).box(640, 480, new Box(200, 100, 100, 80)));
    // Near the top the square is shifted down to stay inside, keeping its size.
    assertEquals(new Box(170, 0, 160, 160), faceCrop(64, 64).box(640, 480, new Box(200, 0, 100, 80)));
    // A box wider than the image shrinks, keeping the ratio.
    Box wide = faceCrop(400, 100).box(200, 300, new Box(50, 100, 100, 100));
    assertEquals(200, wide.w());
    assertEquals(50, wide.h());
    assertEquals(0, wide.x());
  }

  @Test
  void theCentreFallbackIsTheLargestCentredBoxOfTheRatio() {
    assertEquals(new Box(80, 0, 480, 480), faceCrop(null, null).box(640, 480, null));
    assertEquals(new Box(0, 60, 640, 360), faceCrop(160, 90).box(640, 480, null));
  }

  @Test
  void facecropRefusesABadMarginOrFallback() {
    // The rule's words are the table's (before it: "margin must be from 0 to 10 (of the face's size)").
    assertRefused("margin must be between 0 and 10, not -0.1", () -> parse("facecrop", "margin", -0.1));
    assertRefused("fallback must be 'fail' or 'center', not 'middle'", () -> parse("facecrop", "fallback", "middle"));
    assertEquals(FaceCrop.NoFace.FAIL, ((FaceCrop.Spec) parse("facecrop", "fallback", "faceNotFound")).fallback());
  }
}
