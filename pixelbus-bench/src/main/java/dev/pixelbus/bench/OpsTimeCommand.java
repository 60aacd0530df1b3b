package dev.pixelbus.bench;

import dev.pixelbus.api.Box;
import dev.pixelbus.api.ImageOp;
import dev.pixelbus.common.PathPolicy;
import dev.pixelbus.image.natives.Cascades;
import dev.pixelbus.image.natives.OpenCvNative;
import dev.pixelbus.image.ops.ImageOps;
import dev.pixelbus.image.ops.OutputFormat;
import dev.pixelbus.image.ops.Specs;
import dev.pixelbus.image.worker.ImageJob;
import dev.pixelbus.image.worker.ImageProcessor;
import dev.pixelbus.image.worker.ImageRequests;
import dev.pixelbus.image.worker.Step;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.objdetect.CascadeClassifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The cost of each operation on one image, as scripts/bench-ops compares it with Python's cv2 doing the
 * same calls (scripts/bench_ops.py, the same cases under the same names): the op alone on the decoded
 * image, then a pipeline as one job against the same steps as separate jobs, each with its own decode
 * and encode (what a caller without pipelines does).
 */
@Command(name = "ops-time", mixinStandardHelpOptions = true,
    description = {"Milliseconds per call of each image operation on one image: the median of --repeat rounds of every",
        "case (after --warmup rounds), one thread, OpenCV on one thread; then a 3-step pipeline as one job vs 3 jobs."},
    footer = {"", "Example: pixelbus ops-time ship.jpg --repeat 30 --json   (scripts/bench-ops runs it beside cv2)"})
public final class OpsTimeCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "the image")
  Path image;

  @Option(names = "--repeat", defaultValue = "30", description = "timed rounds, one call of each case a round (default: ${DEFAULT-VALUE})")
  int repeat;

  @Option(names = "--warmup", defaultValue = "10", description = "untimed rounds first (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--json", description = "also print the medians as one JSON object (last line of stdout)")
  boolean json;

  /** The pipeline of issue 17's "done when", as steps. */
  static final JsonArray PIPELINE = new JsonArray().add("grayscale").add(new JsonObject().put("op", "resize").put("width", 800))
      .add(new JsonObject().put("op", "threshold").put("value", 127));

  @Override
  public Integer call() throws Exception {
    OpenCvNative.load();
    ImageOps.setThreads(1); // as image.opencvThreads does for the workers; bench_ops.py does the same for cv2
    byte[] encoded = Files.readAllBytes(image);
    Mat color = ImageOps.decode(encoded, Imgcodecs.IMREAD_COLOR);
    Mat gray = ImageOps.grayscale(color);
    CascadeClassifier cascade = new CascadeClassifier(Cascades.bundled(null).toString());
    Map<String, Supplier<Mat>> cases = new LinkedHashMap<>();
    cases.put("decode jpeg", () -> ImageOps.decode(encoded, Imgcodecs.IMREAD_COLOR));
    cases.put("encode png", () -> matOf(ImageOps.encode(color, OutputFormat.PNG, null)));
    cases.put("grayscale", () -> ImageOps.grayscale(color));
    cases.put("threshold 127", () -> ImageOps.threshold(gray, Specs.Threshold.DEFAULT).image());
    cases.put("adaptive gaussian 11 2", () -> ImageOps.adaptive(gray, Specs.Adaptive.DEFAULT));
    cases.put("resize width 800", () -> ImageOps.resize(color, new Specs.Resize(800, null, null, null, null)));
    cases.put("resize scale 2", () -> ImageOps.resize(color, new Specs.Resize(null, null, 2.0, null, null)));
    cases.put("crop 100,50 300x200", () -> ImageOps.crop(color, new Specs.Crop(100, 50, 300, 200)));
    cases.put("rotate 90", () -> ImageOps.rotate(color, new Specs.Rotate(90)));
    cases.put("flip h", () -> ImageOps.flip(color, Specs.Flip.H));
    cases.put("blur 5", () -> ImageOps.blur(color, new Specs.Blur(5, 0)));
    cases.put("faces", () -> {
      ImageOps.detectFaces(cascade, gray, Specs.Faces.DEFAULT);
      return null;
    });
    Specs.FaceCrop faceCrop = new Specs.FaceCrop(Specs.Faces.DEFAULT, Specs.FaceCrop.DEFAULT_MARGIN, null, null,
        Specs.NoFace.CENTER);
    cases.put("facecrop", () -> {
      Mat g = ImageOps.grayscale(color);
      try {
        Box face = ImageOps.largest(ImageOps.detectFaces(cascade, g, faceCrop.detect()));
        return ImageOps.faceCrop(color, faceCrop.box(color.cols(), color.rows(), face), faceCrop);
      } finally {
        g.release();
      }
    });
    // A pipeline as one job (one decode, one encode) against its steps as jobs of their own, each taking the
    // last one's PNG: the whole request as a worker runs it.
    ImageProcessor processor = new ImageProcessor(new PathPolicy(List.of(image.toAbsolutePath().getParent()),
        Files.createTempDirectory("pixelbus-ops-time")), new ImageProcessor.Limits(100_000_000L, 256L << 20),
        () -> Cascades.bundled(null));
    ImageJob one = ImageRequests.parse(ImageOp.PIPELINE, new JsonObject().put("input", new JsonObject().put("bytes", encoded))
        .put("steps", PIPELINE));
    cases.put("pipeline of 3, one job", () -> {
      processor.run(one);
      return null;
    });
    List<Step> steps = ImageRequests.steps(PIPELINE);
    cases.put("the 3 steps as 3 jobs", () -> {
      byte[] bytes = encoded;
      for (Step step : steps) {
        bytes = processor.run(new ImageJob(step.op(), new ImageJob.BytesInput(bytes), null, OutputFormat.PNG, null,
            List.of(step))).image();
      }
      return null;
    });
    JsonObject medians = medians(cases);
    System.out.printf(Locale.ROOT, "%s: %dx%d, median of %d rounds of every case after %d, one thread%n", image.getFileName(),
        color.cols(), color.rows(), repeat, warmup);
    medians.forEach(e -> System.out.printf(Locale.ROOT, "  %-24s %8.3f ms%n", e.getKey(), e.getValue()));
    gray.release();
    color.release();
    if (json) {
      System.out.println(medians.encode());
    }
    return 0;
  }

  private static Mat matOf(byte[] bytes) {
    return new MatOfByte(bytes);
  }

  /**
   * The median milliseconds of each case over {@link #repeat} rounds of every case, one call each, after
   * {@link #warmup} rounds: a slower moment of a shared machine falls on all cases alike. Every Mat made
   * is released.
   */
  private JsonObject medians(Map<String, Supplier<Mat>> cases) {
    for (int i = 0; i < warmup; i++) {
      cases.values().forEach(c -> release(c.get()));
    }
    Map<String, double[]> ms = new LinkedHashMap<>();
    cases.keySet().forEach(k -> ms.put(k, new double[repeat]));
    for (int i = 0; i < repeat; i++) {
      for (Map.Entry<String, Supplier<Mat>> c : cases.entrySet()) {
        long t0 = System.nanoTime();
        Mat m = c.getValue().get();
        ms.get(c.getKey())[i] = (System.nanoTime() - t0) / 1e6;
        release(m);
      }
    }
    JsonObject medians = new JsonObject();
    ms.forEach((k, v) -> {
      Arrays.sort(v);
      double median = repeat % 2 == 1 ? v[repeat / 2] : (v[repeat / 2 - 1] + v[repeat / 2]) / 2;
      medians.put(k, Math.round(median * 1000) / 1000.0);
    });
    return medians;
  }

  private static void release(Mat m) {
    if (m != null) {
      m.release();
    }
  }
}
