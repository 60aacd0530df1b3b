package dev.pixelbus.bench;

import dev.pixelbus.api.ImageOp;
import dev.pixelbus.common.PathPolicy;
import dev.pixelbus.image.natives.Cascades;
import dev.pixelbus.image.codec.Codecs;
import dev.pixelbus.image.codec.ImageCodec;
import dev.pixelbus.image.codec.JpegCodec;
import dev.pixelbus.image.natives.OpenCvNative;
import dev.pixelbus.image.ops.ImageHeader;
import dev.pixelbus.image.ops.Findings;
import dev.pixelbus.image.ops.ImageOps;
import dev.pixelbus.image.ops.OpContext;
import dev.pixelbus.image.ops.Operation;
import dev.pixelbus.image.ops.Operations;
import dev.pixelbus.image.ops.OutputFormat;
import dev.pixelbus.image.worker.ImageJob;
import dev.pixelbus.image.worker.ImageProcessor;
import dev.pixelbus.image.worker.ImageRequests;
import dev.pixelbus.image.worker.Step;
import dev.pixelbus.image.worker.StepRunner;
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
 * same calls (scripts/bench_ops.py, the same cases under the same names): decode and encode, then every
 * operation of the table with its example parameters, as a worker applies it to the decoded image; then a
 * pipeline as one job against the same steps as separate jobs, each with its own decode and encode (what
 * a caller without pipelines does).
 */
@Command(name = "ops-time", mixinStandardHelpOptions = true,
    description = {"Milliseconds per call of each image operation on one image: the median of --repeat rounds of every",
        "case (after --warmup rounds), one thread, OpenCV on one thread; then a 3-step pipeline as one job vs 3 jobs."},
    footer = {"", "Example: pixelbus ops-time ship.jpg --repeat 30 --json   (scripts/bench-ops runs it beside cv2)"})
public final class OpsTimeCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", description = "the image")
  Path image;

  @Option(names = "--repeat", defaultValue = "30", description = "timed rounds, one call of each case a round (default: ${DEFAULT-VALUE})")
  int repeat;

  @Option(names = "--warmup", defaultValue = "10", description = "untimed rounds first (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--json", description = "also print the medians as one JSON object (last line of stdout)")
  boolean json;

  @Option(names = "--cases", description = "print the operations' cases as JSON, [{name, op, params}], and time nothing")
  boolean listCases;

  /** The pipeline of issue 17's "done when", as steps. */
  static final JsonArray PIPELINE = new JsonArray().add("grayscale").add(new JsonObject().put("op", "resize").put("width", 800))
      .add(new JsonObject().put("op", "threshold").put("value", 127));

  /** An operation of the table with its example parameters, under the name both sides report it by. */
  record OpCase(String name, Operation<?> op, JsonObject params) {
    JsonObject toJson() {
      return new JsonObject().put("name", name).put("op", op.label()).put("params", params);
    }
  }

  /** One case per operation of the table: {@code resize width=800}, {@code blur}, ... */
  static List<OpCase> opCases() {
    return Operations.all().stream().map(op -> {
      JsonObject params = new JsonObject(op.example());
      StringBuilder name = new StringBuilder(op.label());
      params.forEach(e -> name.append(name.length() == op.label().length() ? " " : ",").append(e.getKey()).append('=')
          .append(e.getValue() instanceof List<?> l ? new JsonArray(l).encode() : e.getValue()));
      return new OpCase(name.toString(), op, params);
    }).toList();
  }

  @Override
  public Integer call() throws Exception {
    if (listCases) {
      JsonArray cases = new JsonArray();
      opCases().forEach(c -> cases.add(c.toJson()));
      System.out.println(cases.encode());
      return 0;
    }
    if (image == null) {
      System.err.println("ops-time: give an image (or --cases)");
      return 2;
    }
    OpenCvNative.load();
    ImageOps.setThreads(1); // as image.opencvThreads does for the workers; bench_ops.py does the same for cv2
    byte[] encoded = Files.readAllBytes(image);
    // The workers' codec: the system's libjpeg-turbo for JPEG when it loads (image.jpegCodec auto), else OpenCV's.
    ImageCodec codec = Codecs.forWorker(JpegCodec.AUTO);
    ImageHeader header = ImageHeader.read(encoded);
    Mat color = codec.decode(encoded, header, false, 1);
    CascadeClassifier cascade = new CascadeClassifier(Cascades.bundled(null).toString());
    StepRunner runner = new StepRunner(Long.MAX_VALUE, path -> cascade);
    Map<String, Supplier<Mat>> cases = new LinkedHashMap<>();
    cases.put("decode " + header.format(), () -> codec.decode(encoded, header, false, 1));
    cases.put("encode png", () -> new MatOfByte(codec.encode(color, OutputFormat.PNG, null)));
    cases.put("encode jpeg", () -> new MatOfByte(codec.encode(color, OutputFormat.JPEG, null)));
    for (OpCase c : opCases()) {
      // As a pipeline's step, so faces answers its boxes and draws on nothing: the image stays the same for every case.
      Step<?> step = ImageRequests.steps(new JsonArray().add(c.params().copy().put("op", c.op().label()))).get(0);
      OpContext context = runner.context(true, new Findings());
      cases.put(c.name(), () -> {
        Mat out = apply(step, color, context);
        return out == color ? null : out;
      });
    }
    // A pipeline as one job (one decode, one encode) against its steps as jobs of their own, each taking the
    // last one's PNG: the whole request as a worker runs it.
    ImageProcessor processor = new ImageProcessor(new PathPolicy(List.of(image.toAbsolutePath().getParent()),
        Files.createTempDirectory("pixelbus-ops-time")), new ImageProcessor.Limits(100_000_000L, 256L << 20),
        () -> Cascades.bundled(null), codec);
    ImageJob one = ImageRequests.parse(ImageOp.PIPELINE, new JsonObject().put("input", new JsonObject().put("bytes", encoded))
        .put("steps", PIPELINE));
    cases.put("pipeline of 3, one job", () -> {
      processor.run(one);
      return null;
    });
    List<Step<?>> steps = ImageRequests.steps(PIPELINE);
    cases.put("the 3 steps as 3 jobs", () -> {
      byte[] bytes = encoded;
      for (Step<?> step : steps) {
        bytes = processor.run(new ImageJob(step.operation().op(), new ImageJob.BytesInput(bytes), null, OutputFormat.PNG, null,
            List.of(step))).image();
      }
      return null;
    });
    JsonObject medians = medians(cases);
    System.out.printf(Locale.ROOT, "%s: %dx%d, median of %d rounds of every case after %d, one thread; %s%n",
        image.getFileName(), color.cols(), color.rows(), repeat, warmup, Codecs.describe(JpegCodec.AUTO));
    medians.forEach(e -> System.out.printf(Locale.ROOT, "  %-40s %8.3f ms%n", e.getKey(), e.getValue()));
    color.release();
    if (json) {
      System.out.println(medians.encode());
    }
    return 0;
  }

  private static <S> Mat apply(Step<S> step, Mat image, OpContext context) {
    return step.operation().apply(image, step.spec(), context);
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
