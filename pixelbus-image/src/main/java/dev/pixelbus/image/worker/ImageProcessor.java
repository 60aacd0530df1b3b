package dev.pixelbus.image.worker;

import dev.pixelbus.api.ErrorCode;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.common.PathPolicy;
import dev.pixelbus.image.chunk.BatchFiles;
import dev.pixelbus.image.chunk.BatchNames;
import dev.pixelbus.image.codec.ExifOrientation;
import dev.pixelbus.image.codec.ImageCodec;
import dev.pixelbus.image.ops.ImageHeader;
import dev.pixelbus.image.ops.ImageOps;
import dev.pixelbus.image.ops.OutputFormat;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.opencv.core.CvException;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.objdetect.CascadeClassifier;

/**
 * Runs one {@link ImageJob} from bytes on disk to bytes on disk: read, guard, decode, operate,
 * encode, write. Blocking and single-threaded by design: each worker owns one processor, and with
 * it its own cascade classifiers (OpenCV's are not thread-safe). No Vert.x here.
 */
public final class ImageProcessor {
  private static final int MAX_CASCADES = 4;

  /** The limits a job must respect; each comes from the configuration. */
  public record Limits(long maxPixels, long maxInputBytes) {
  }

  private final PathPolicy paths;
  private final Limits limits;
  private final ImageCodec codec;
  private final Supplier<Path> defaultCascade;
  private final StepRunner steps;
  private final Map<Path, CascadeClassifier> cascades = new LinkedHashMap<>(8, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Path, CascadeClassifier> eldest) {
      return size() > MAX_CASCADES;
    }
  };

  /**
   * @param defaultCascade the cascade file used when a request names none (resolved on first use)
   */
  public ImageProcessor(PathPolicy paths, Limits limits, Supplier<Path> defaultCascade) {
    this(paths, limits, defaultCascade, ImageCodec.openCv());
  }

  /**
   * @param codec the worker's decoder and encoder (OpenCV's, or TurboJPEG for JPEG): this processor's alone
   */
  public ImageProcessor(PathPolicy paths, Limits limits, Supplier<Path> defaultCascade, ImageCodec codec) {
    this.paths = paths;
    this.limits = limits;
    this.codec = codec;
    this.defaultCascade = defaultCascade;
    this.steps = new StepRunner(limits.maxPixels(), this::cascade);
  }

  public PathPolicy paths() {
    return paths;
  }

  /** Runs a request: its paths are confined to the roots here. */
  public ImageResult run(ImageJob job) {
    Path output = job.output() == null ? null : paths.resolveOutput(job.output());
    long t0 = System.nanoTime();
    byte[] encoded = read(job.input());
    return process(job, encoded, output, t0);
  }

  /**
   * Runs a batch's {@code template} on the file {@code name} of a folder that was already confined
   * to the roots, writing into a confined output folder (null for info) under the name
   * {@link BatchNames#outputName} gives: no per-file path resolution, which costs as much as the
   * work on a small tile. A symbolic link in the folder is still resolved and checked.
   *
   * @param format the batch's output format, or null to keep each input's extension
   */
  public ImageResult runBatchFile(ImageJob template, OutputFormat format, Path inputDir, String name, Path outputDir) {
    String outName = batchOutputName(name, format);
    long t0 = System.nanoTime();
    byte[] encoded = BatchFiles.readListed(inputDir.resolve(name), paths, limits.maxInputBytes());
    return process(batchJob(template, outName), encoded, outputDir == null ? null : outputDir.resolve(outName), t0);
  }

  /**
   * Runs a batch's {@code template} on an image that came as bytes from another node, which writes
   * the result itself: the encoded result is in {@link ImageResult#image()} (null for info).
   */
  public ImageResult runBatchBytes(ImageJob template, OutputFormat format, String name, byte[] encoded) {
    String outName = batchOutputName(name, format);
    BatchFiles.checkSize(encoded.length, limits.maxInputBytes(), name);
    return process(batchJob(template, outName), encoded, null, System.nanoTime());
  }

  /** A batch file's output name, once its own name is checked to be one plain name. */
  private static String batchOutputName(String name, OutputFormat format) {
    PathPolicy.plainName(name);
    return BatchNames.outputName(name, format);
  }

  /** The batch's job for one file: the template, encoding in the output name's format. */
  private static ImageJob batchJob(ImageJob template, String outName) {
    return new ImageJob(template.op(), template.input(), null, BatchNames.formatOf(outName), template.quality(),
        template.steps(), template.shrinkOnLoad());
  }

  private ImageResult process(ImageJob job, byte[] encoded, Path output, long t0) {
    long t1 = System.nanoTime();
    ImageHeader header = guard(encoded);
    StepRunner.Decoded decoded = plan(job, encoded, header);
    Mat src = codec.decode(encoded, header, job.readsAsStored(), decoded.scale());
    long t2 = System.nanoTime();
    StepRunner.Outcome outcome = StepRunner.outcome();
    Mat result = steps.run(job.steps(), src, decoded, job.pipeline(), outcome);
    try {
      long t3 = System.nanoTime();
      Mat image = job.makesImage() ? result : null;
      if (image != null) {
        ImageOps.checkEncodable(image, job.format());
      }
      byte[] out = image == null ? null : codec.encode(image, job.format(), job.quality());
      long t4 = System.nanoTime();
      if (out != null && output != null) {
        BatchFiles.writeAtomically(output, out);
      }
      long t5 = System.nanoTime();
      ImageResult.Timings timings = new ImageResult.Timings(ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), ms(t4 - t3), ms(t5 - t4));
      return new ImageResult((int) header.width(), (int) header.height(), header.format(), decoded.scale(), job.pipeline(),
          outcome,
          out != null ? output : null, out != null ? job.format() : null, out != null && output == null ? out : null,
          image == null ? 0 : image.cols(), image == null ? 0 : image.rows(), timings);
    } finally {
      result.release();
    }
  }

  /**
   * The image's full size as the steps see it (EXIF's orientation applied, as decoding applies it) and the
   * scale to decode it at: smaller only for a JPEG, when the job allows it and its steps gain from it.
   */
  private static StepRunner.Decoded plan(ImageJob job, byte[] encoded, ImageHeader header) {
    int w = (int) header.width();
    int h = (int) header.height();
    if (job.readsAsStored() || !"jpeg".equals(header.format())) {
      return new StepRunner.Decoded(w, h, 1);
    }
    if (ExifOrientation.swapsSides(ExifOrientation.of(encoded))) {
      int t = w;
      w = h;
      h = t;
    }
    return new StepRunner.Decoded(w, h, job.shrinkOnLoad() ? ShrinkOnLoad.scale(job.steps(), w, h) : 1);
  }

  /** Checks the header against the limits before the decoder allocates anything. */
  public ImageHeader guard(byte[] encoded) {
    ImageHeader header = ImageHeader.read(encoded);
    if (header.width() > ImageHeader.MAX_SIDE || header.height() > ImageHeader.MAX_SIDE) {
      throw new PixelbusException(ErrorCode.TOO_LARGE, String.format(
          "image too large: its %s header declares %d×%d; OpenCV decodes at most %d pixels a side",
          header.format(), header.width(), header.height(), ImageHeader.MAX_SIDE));
    }
    if (header.pixels() > limits.maxPixels()) {
      throw new PixelbusException(ErrorCode.TOO_LARGE, String.format(
          "image too large: its %s header declares %d×%d = %.1f megapixels; the limit is %.1f megapixels (image.maxPixels)",
          header.format(), header.width(), header.height(), header.pixels() / 1e6, limits.maxPixels() / 1e6));
    }
    String truncated = ImageHeader.truncation(encoded, header);
    if (truncated != null) {
      throw PixelbusException.unsupported(truncated);
    }
    return header;
  }

  private byte[] read(ImageJob.Input input) {
    if (input instanceof ImageJob.BytesInput bytes) {
      BatchFiles.checkSize(bytes.data().length, limits.maxInputBytes(), "inline image");
      return bytes.data();
    }
    return BatchFiles.readConfined(((ImageJob.FileInput) input).path(), paths, limits.maxInputBytes());
  }

  private CascadeClassifier cascade(String requested) {
    Path file = requested == null ? defaultCascade.get() : paths.resolveInput(requested);
    CascadeClassifier c = cascades.get(file);
    if (c == null) {
      c = new CascadeClassifier();
      boolean loaded;
      try {
        loaded = c.load(file.toString());
      } catch (CvException e) {
        loaded = false;
      }
      if (!loaded) {
        throw PixelbusException.unsupported("not a Haar cascade that OpenCV can load: "
            + (requested == null ? file : requested));
      }
      cascades.put(file, c);
    }
    return c;
  }

  private static double ms(long nanos) {
    return Math.round(nanos / 1e4) / 100.0;
  }
}
