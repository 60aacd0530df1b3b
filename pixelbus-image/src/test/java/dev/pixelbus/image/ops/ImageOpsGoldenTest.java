package dev.pixelbus.image.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pixelbus.api.Box;
import dev.pixelbus.image.natives.Cascades;
import dev.pixelbus.image.natives.OpenCvNative;
import dev.pixelbus.image.worker.ImageRequests;
import dev.pixelbus.image.worker.Step;
import dev.pixelbus.image.worker.StepRunner;
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
        Threshold.Thresholded t = Threshold.threshold(g, new Threshold.Spec(127, 255, type, Threshold.Auto.NONE));
        assertDigest(expected.getJsonObject(type.label()), t.image(), name + " " + type.label());
        t.image().release();
      }
      for (Threshold.Auto auto : List.of(Threshold.Auto.OTSU, Threshold.Auto.TRIANGLE)) {
        String key = auto.name().toLowerCase();
        Threshold.Thresholded t = Threshold.threshold(g, new Threshold.Spec(0, 255, ThresholdType.BINARY, auto));
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
      for (Adaptive.Method m : Adaptive.Method.values()) {
        Mat out = Adaptive.adaptive(g, new Adaptive.Spec(m, 11, 2, 255, ThresholdType.BINARY));
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
      List<Rect> found = new ArrayList<>(Faces.detectFaces(cascade, g, Faces.Spec.DEFAULT));
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

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("geometry")
  void geometryMatchesCv2(String name, String op) {
    JsonObject expected = GOLDEN.getJsonObject(name).getJsonObject("geometry").getJsonObject(op);
    // The case's steps, parsed and run as a worker runs a pipeline: through the table of operations.
    List<Step<?>> steps = ImageRequests.steps(expected.getJsonArray("steps"));
    CascadeClassifier cascade = new CascadeClassifier(Cascades.bundled(null).toString());
    StepRunner.Outcome outcome = StepRunner.outcome();
    Mat out = new StepRunner(Long.MAX_VALUE, path -> cascade).run(steps,
        ImageOps.decode(TestImages.bytes(name), Imgcodecs.IMREAD_COLOR), true, outcome);
    try {
      assertEquals(List.of(expected.getInteger("width"), expected.getInteger("height"), expected.getInteger("channels")),
          List.of(out.cols(), out.rows(), out.channels()), name + " " + op + ": size");
      assertEquals(expected.getString("sha256"), TestImages.sha256(out), name + " " + op + ": pixels (SHA-256)");
      if (expected.containsKey("crop")) {
        Box crop = (Box) outcome.findings().get("crop");
        assertEquals(expected.getJsonArray("crop").getList(), List.of(crop.x(), crop.y(), crop.w(), crop.h()), "the cut");
      }
    } finally {
      out.release();
    }
  }
}
