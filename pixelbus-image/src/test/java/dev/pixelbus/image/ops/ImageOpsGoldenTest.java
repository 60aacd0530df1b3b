package dev.pixelbus.image.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pixelbus.api.Box;
import dev.pixelbus.image.natives.Cascades;
import dev.pixelbus.image.natives.OpenCvNative;
import dev.pixelbus.testkit.TestImages;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.objdetect.CascadeClassifier;

/**
 * Pixel-for-pixel equality with Python's cv2: each output's SHA-256, pixel sum and non-zero count
 * must equal what scripts/golden.py computed with cv2 on the same file.
 */
class ImageOpsGoldenTest {
  private static final JsonObject GOLDEN = TestImages.golden().getJsonObject("images");

  @BeforeAll
  static void load() {
    OpenCvNative.load();
  }

  static Stream<Arguments> images() {
    return GOLDEN.fieldNames().stream().sorted().map(Arguments::of);
  }

  private static Mat gray(String name) {
    Mat color = ImageOps.decode(TestImages.bytes(name), Imgcodecs.IMREAD_COLOR);
    try {
      return ImageOps.grayscale(color);
    } finally {
      color.release();
    }
  }

  private static void assertDigest(JsonObject expected, Mat actual, String what) {
    assertEquals(expected.getLong("sum"), (long) Core.sumElems(actual).val[0], what + " pixel sum");
    assertEquals(expected.getInteger("nonZero"), Core.countNonZero(actual), what + " non-zero pixels");
    assertEquals(expected.getString("sha256"), TestImages.sha256(actual), what + " pixels (SHA-256)");
  }

  @ParameterizedTest
  @MethodSource("images")
  void topLeftPixelMatchesCv2(String name) {
    Mat color = ImageOps.decode(TestImages.bytes(name), Imgcodecs.IMREAD_COLOR);
    try {
      JsonArray expected = GOLDEN.getJsonObject(name).getJsonArray("topLeft");
      double[] px = color.get(0, 0);
      for (int c = 0; c < 3; c++) {
        assertEquals(expected.getInteger(c), (int) px[c], "channel " + c);
      }
    } finally {
      color.release();
    }
  }

  @ParameterizedTest
  @MethodSource("images")
  void grayscaleMatchesCv2(String name) {
    Mat g = gray(name);
    try {
      assertDigest(GOLDEN.getJsonObject(name).getJsonObject("grayscale"), g, name + " grayscale");
    } finally {
      g.release();
    }
  }

  @ParameterizedTest
  @MethodSource("images")
  void everyThresholdTypeMatchesCv2(String name) {
    JsonObject expected = GOLDEN.getJsonObject(name).getJsonObject("threshold");
    Mat g = gray(name);
    try {
      for (ThresholdType type : ThresholdType.values()) {
        ImageOps.Thresholded t = ImageOps.threshold(g, new Specs.Threshold(127, 255, type, Specs.AutoThreshold.NONE));
        assertDigest(expected.getJsonObject(type.label()), t.image(), name + " " + type.label());
        t.image().release();
      }
      for (Specs.AutoThreshold auto : List.of(Specs.AutoThreshold.OTSU, Specs.AutoThreshold.TRIANGLE)) {
        String key = auto.name().toLowerCase();
        ImageOps.Thresholded t = ImageOps.threshold(g, new Specs.Threshold(0, 255, ThresholdType.BINARY, auto));
        assertEquals(expected.getJsonObject(key).getDouble("threshold"), t.threshold(), name + " " + key + " threshold");
        assertDigest(expected.getJsonObject(key), t.image(), name + " " + key);
        t.image().release();
      }
    } finally {
      g.release();
    }
  }

  @ParameterizedTest
  @MethodSource("images")
  void adaptiveMeanAndGaussianMatchCv2(String name) {
    JsonObject expected = GOLDEN.getJsonObject(name).getJsonObject("adaptive");
    Mat g = gray(name);
    try {
      for (Specs.AdaptiveMethod m : Specs.AdaptiveMethod.values()) {
        Mat out = ImageOps.adaptive(g, new Specs.Adaptive(m, 11, 2, 255, ThresholdType.BINARY));
        assertDigest(expected.getJsonObject(m.name().toLowerCase()), out, name + " adaptive " + m);
        out.release();
      }
    } finally {
      g.release();
    }
  }

  @ParameterizedTest
  @MethodSource("images")
  void facesMatchCv2(String name) {
    CascadeClassifier cascade = new CascadeClassifier(Cascades.bundled(null).toString());
    Mat g = gray(name);
    try {
      List<Rect> found = new ArrayList<>(ImageOps.detectFaces(cascade, g, Specs.Faces.DEFAULT));
      found.sort(Comparator.<Rect>comparingInt(r -> r.x).thenComparingInt(r -> r.y));
      List<List<Integer>> actual = found.stream().map(r -> List.of(r.x, r.y, r.width, r.height)).toList();
      List<List<Integer>> expected = new ArrayList<>();
      GOLDEN.getJsonObject(name).getJsonArray("faces")
          .forEach(f -> expected.add(((JsonArray) f).stream().map(v -> ((Number) v).intValue()).toList()));
      assertEquals(expected, actual, name + " faces");
    } finally {
      g.release();
    }
  }

  static Stream<Arguments> geometry() {
    return GOLDEN.fieldNames().stream().sorted().flatMap(image -> GOLDEN.getJsonObject(image).getJsonObject("geometry")
        .fieldNames().stream().sorted().map(op -> Arguments.of(image, op)));
  }

  /** The cases of scripts/golden.py's geometry(), each as pixelbus runs it. */
  private static Mat run(String op, Mat color) {
    return switch (op) {
      case "facecrop" -> faceCrop(color, null);
      case "facecrop 64x64" -> faceCrop(color, 64);
      case "resize width 200" -> ImageOps.resize(color, new Specs.Resize(200, null, null, null, null));
      case "resize height 90" -> ImageOps.resize(color, new Specs.Resize(null, 90, null, null, null));
      case "resize scale 2" -> ImageOps.resize(color, new Specs.Resize(null, null, 2.0, null, null));
      case "resize 100x60 fill" -> ImageOps.resize(color, new Specs.Resize(100, 60, null, Specs.Fit.FILL, null));
      case "resize 100x60 inside" -> ImageOps.resize(color, new Specs.Resize(100, 60, null, Specs.Fit.INSIDE, null));
      case "resize 100x60 cover" -> ImageOps.resize(color, new Specs.Resize(100, 60, null, Specs.Fit.COVER, null));
      case "crop 10,20 100x50" -> ImageOps.crop(color, new Specs.Crop(10, 20, 100, 50));
      case "rotate 90" -> ImageOps.rotate(color, new Specs.Rotate(90));
      case "rotate 180" -> ImageOps.rotate(color, new Specs.Rotate(180));
      case "rotate 270" -> ImageOps.rotate(color, new Specs.Rotate(270));
      case "flip h" -> ImageOps.flip(color, Specs.Flip.H);
      case "flip v" -> ImageOps.flip(color, Specs.Flip.V);
      case "flip both" -> ImageOps.flip(color, Specs.Flip.BOTH);
      case "blur 5" -> ImageOps.blur(color, new Specs.Blur(5, 0));
      case "blur 9 sigma 2.5" -> ImageOps.blur(color, new Specs.Blur(9, 2.5));
      case "grayscale, resize width 200, threshold 127" -> {
        Mat g = ImageOps.grayscale(color);
        Mat small = ImageOps.resize(g, new Specs.Resize(200, null, null, null, null));
        g.release();
        ImageOps.Thresholded t = ImageOps.threshold(small, Specs.Threshold.DEFAULT);
        small.release();
        yield t.image();
      }
      default -> throw new AssertionError("a case of golden.py this test does not know: " + op);
    };
  }

  /** facecrop as the workers run it: the largest face of detectMultiScale's defaults, or the centre. */
  private static Mat faceCrop(Mat color, Integer side) {
    Specs.FaceCrop spec = new Specs.FaceCrop(Specs.Faces.DEFAULT, Specs.FaceCrop.DEFAULT_MARGIN, side, side, Specs.NoFace.CENTER);
    Mat g = ImageOps.grayscale(color);
    try {
      Box face = ImageOps.largest(ImageOps.detectFaces(new CascadeClassifier(Cascades.bundled(null).toString()), g, spec.detect()));
      return ImageOps.faceCrop(color, spec.box(color.cols(), color.rows(), face), spec);
    } finally {
      g.release();
    }
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("geometry")
  void geometryMatchesCv2(String name, String op) {
    JsonObject expected = GOLDEN.getJsonObject(name).getJsonObject("geometry").getJsonObject(op);
    Mat color = ImageOps.decode(TestImages.bytes(name), Imgcodecs.IMREAD_COLOR);
    Mat out = run(op, color);
    try {
      assertEquals(List.of(expected.getInteger("width"), expected.getInteger("height"), expected.getInteger("channels")),
          List.of(out.cols(), out.rows(), out.channels()), name + " " + op + ": size");
      assertEquals(expected.getString("sha256"), TestImages.sha256(out), name + " " + op + ": pixels (SHA-256)");
    } finally {
      color.release();
      out.release();
    }
  }
}
