package dev.pixelbus.image.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pixelbus.api.Box;
import dev.pixelbus.api.ImageOp;
import dev.pixelbus.common.PathPolicy;
import dev.pixelbus.image.codec.Codecs;
import dev.pixelbus.image.codec.ImageCodec;
import dev.pixelbus.image.codec.JpegCodec;
import dev.pixelbus.image.natives.Cascades;
import dev.pixelbus.image.natives.OpenCvNative;
import dev.pixelbus.testkit.TestImages;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Shrink-on-load: which fraction a job's steps let a JPEG be decoded at (a pure function), and the pixels it
 * gives, equal to cv2's {@code imdecode} with the same {@code IMREAD_REDUCED_*} flag and the same resize
 * (scripts/golden.py's {@code shrink}), through OpenCV's codec and through TurboJPEG's.
 */
class ShrinkOnLoadTest {
  private static final JsonObject SHRINK = TestImages.golden().getJsonObject("images")
      .getJsonObject(TestImages.ASTRONAUT_JPG).getJsonObject("shrink");

  @BeforeAll
  static void load() {
    OpenCvNative.load();
  }

  private static int scale(int w, int h, Object... steps) {
    JsonArray list = new JsonArray();
    for (Object s : steps) {
      list.add(s);
    }
    return ShrinkOnLoad.scale(ImageRequests.steps(list), w, h);
  }

  private static JsonObject resize(int width) {
    return new JsonObject().put("op", "resize").put("width", width);
  }

  @Test
  void theLargestFractionThatLeavesTwiceTheResult() {
    // The thumbnail: 6000x4254 to 300 wide (300x213) needs 600x426: 1/8 gives 750x532.
    assertEquals(8, scale(6000, 4254, resize(300)));
    assertEquals(4, scale(6000, 4254, resize(700)), "1/8 (750) would leave less than 1,400");
    assertEquals(2, scale(6000, 4254, resize(1400)));
    assertEquals(1, scale(6000, 4254, resize(1500)), "1/2 gives 3000x2127, under twice 1500x1064");
    assertEquals(1, scale(6000, 4254, resize(7000)), "an enlargement decodes whole");
    assertEquals(8, scale(6000, 4254, new JsonObject().put("op", "resize").put("scale", 0.05)));
    assertEquals(4, scale(6000, 4254, new JsonObject().put("op", "resize").put("width", 300).put("height", 300)
        .put("fit", "cover")), "cover scales to 423x300 before its crop: 846x600 needs 1/4 (1/8 is 750x532)");
  }

  @Test
  void onlyScaleFreeStepsMayComeFirst() {
    assertEquals(8, scale(6000, 4254, "grayscale", resize(300)));
    assertEquals(8, scale(6000, 4254, new JsonObject().put("op", "flip").put("axis", "h"), resize(300)));
    // A quarter turn: the resize's width is the turned image's, 4254 wide: 700x987 needs 1/2, not 1/4.
    assertEquals(4, scale(6000, 4254, resize(700)));
    assertEquals(2, scale(6000, 4254, new JsonObject().put("op", "rotate").put("angle", 90), resize(700)));
    assertEquals(1, scale(6000, 4254, "blur", resize(300)), "a blur's kernel is in pixels: it needs the whole image");
    assertEquals(1, scale(6000, 4254, new JsonObject().put("op", "crop").put("w", 3000).put("h", 3000), resize(300)));
    assertEquals(1, scale(6000, 4254, "grayscale"), "no step that shrinks");
    assertEquals(1, scale(6000, 4254, "faces"));
  }

  @Test
  void facecropToASizeKeepsEightTimesItOnTheShortSide() {
    JsonObject face128 = new JsonObject().put("op", "facecrop").put("width", 128).put("height", 128);
    assertEquals(4, scale(6000, 4254, face128), "4254 / 4 = 1064 >= 8 x 128");
    assertEquals(1, scale(6000, 4254, new JsonObject().put("op", "facecrop")), "no size: the crop is the result");
  }

  /**
   * The thumbnail: a 24-megapixel JPEG to 300 wide decodes at 1/8 (750x500: no full-size image is ever
   * made), and its size is the one a whole decode gives.
   */
  @Test
  void aLargePhotosThumbnailNeverHoldsTheFullImage() {
    Mat big = new Mat(4000, 6000, CvType.CV_8UC3);
    Core.randu(big, 0, 256);
    MatOfByte jpeg = new MatOfByte();
    Imgcodecs.imencode(".jpg", big, jpeg, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 90));
    big.release();
    JsonObject body = new JsonObject().put("input", new JsonObject().put("bytes", jpeg.toArray())).put("width", 300)
        .put("format", "jpg");
    jpeg.release();
    try (ImageCodec codec = Codecs.forWorker(JpegCodec.AUTO)) {
      ImageResult r = new ImageProcessor(new PathPolicy(List.of(Path.of("/")), Path.of("/")),
          new ImageProcessor.Limits(100_000_000L, 1L << 30), () -> null, codec).run(ImageRequests.parse(ImageOp.RESIZE, body));
      assertEquals(8, r.decodeScale());
      assertEquals(List.of(300, 200), List.of(r.outputWidth(), r.outputHeight()));
    }
  }

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (String name : SHRINK.fieldNames()) {
      for (JpegCodec codec : List.of(JpegCodec.OPENCV, JpegCodec.TURBOJPEG)) {
        all.add(Arguments.of(name, codec));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("cases")
  void thePixelsAreCv2sWithTheSameReducedDecode(String name, JpegCodec choice) {
    if (choice == JpegCodec.TURBOJPEG) {
      assumeTrue(Codecs.turboJpegAvailable(), "no system libturbojpeg here");
    }
    JsonObject expected = SHRINK.getJsonObject(name);
    JsonObject body = new JsonObject().put("input", new JsonObject().put("bytes", TestImages.bytes(TestImages.ASTRONAUT_JPG)))
        .put("steps", expected.getJsonArray("steps"));
    if (expected.containsKey("shrinkOnLoad")) {
      body.put("shrinkOnLoad", expected.getBoolean("shrinkOnLoad"));
    }
    try (ImageCodec codec = Codecs.forWorker(choice)) {
      ImageProcessor processor = new ImageProcessor(new PathPolicy(List.of(Path.of("/")), Path.of("/")),
          new ImageProcessor.Limits(100_000_000L, 1L << 30), () -> Cascades.bundled(null), codec);
      ImageResult r = processor.run(ImageRequests.parse(ImageOp.PIPELINE, body));
      assertEquals(expected.getInteger("decodeScale"), r.decodeScale(), name + ": the fraction decoded");
      Mat m = Imgcodecs.imdecode(new MatOfByte(r.image()), Imgcodecs.IMREAD_UNCHANGED);
      try {
        assertEquals(expected.getInteger("width") + "x" + expected.getInteger("height"), m.cols() + "x" + m.rows(), name);
        assertEquals(expected.getString("sha256"), TestImages.sha256(m), name + ": pixels (SHA-256)");
      } finally {
        m.release();
      }
      if (expected.containsKey("face")) {
        // Found on the half-size decode, told in the full image's coordinates.
        JsonArray face = expected.getJsonArray("face");
        int s = expected.getInteger("decodeScale");
        Box got = (Box) r.steps().findings().get("face");
        assertEquals(List.of(face.getInteger(0) * s, face.getInteger(1) * s, face.getInteger(2) * s, face.getInteger(3) * s),
            List.of(got.x(), got.y(), got.w(), got.h()), name + ": the face, in full-size coordinates");
      }
    }
  }
}
