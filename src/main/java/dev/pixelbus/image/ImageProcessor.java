package dev.pixelbus.image;

import dev.pixelbus.bus.ErrorCode;
import dev.pixelbus.bus.PixelbusException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
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
  private final Supplier<Path> defaultCascade;
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
    this.paths = paths;
    this.limits = limits;
    this.defaultCascade = defaultCascade;
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
    PathPolicy.plainName(name);
    String outName = BatchNames.outputName(name, format);
    ImageJob job = new ImageJob(template.op(), template.input(), null, BatchNames.formatOf(outName), template.quality(),
        template.spec());
    long t0 = System.nanoTime();
    return process(job, readListed(inputDir.resolve(name)), outputDir == null ? null : outputDir.resolve(outName), t0);
  }

  private ImageResult process(ImageJob job, byte[] encoded, Path output, long t0) {
    long t1 = System.nanoTime();
    ImageHeader header = guard(encoded);
    Mat src = ImageOps.decode(encoded, job.op() == ImageOp.INFO ? Imgcodecs.IMREAD_UNCHANGED : Imgcodecs.IMREAD_COLOR);
    long t2 = System.nanoTime();
    Mat result = null;
    try {
      Double threshold = null;
      List<Rect> faces = null;
      ImageOps.Info info = null;
      switch (job.op()) {
        case INFO -> info = ImageOps.info(src);
        case GRAYSCALE -> result = ImageOps.grayscale(src);
        case THRESHOLD -> {
          Mat gray = ImageOps.grayscale(src);
          try {
            ImageOps.Thresholded t = ImageOps.threshold(gray, (Specs.Threshold) job.spec());
            result = t.image();
            threshold = t.threshold();
          } finally {
            gray.release();
          }
        }
        case ADAPTIVE -> {
          Mat gray = ImageOps.grayscale(src);
          try {
            result = ImageOps.adaptive(gray, (Specs.Adaptive) job.spec());
          } finally {
            gray.release();
          }
        }
        case FACES -> {
          Specs.Faces spec = (Specs.Faces) job.spec();
          Mat gray = ImageOps.grayscale(src);
          try {
            faces = ImageOps.detectFaces(cascade(spec.cascade()), gray, spec);
          } finally {
            gray.release();
          }
          if (spec.draw()) {
            ImageOps.drawBoxes(src, faces);
            result = src;
            src = null;
          }
        }
        default -> throw new IllegalStateException("unhandled op " + job.op());
      }
      long t3 = System.nanoTime();
      byte[] out = result == null ? null : ImageOps.encode(result, job.format(), job.quality());
      long t4 = System.nanoTime();
      if (out != null && output != null) {
        write(output, out);
      }
      long t5 = System.nanoTime();
      int width = (int) header.width();
      int height = (int) header.height();
      ImageResult.Timings timings = new ImageResult.Timings(ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), ms(t4 - t3), ms(t5 - t4));
      return new ImageResult(width, height, header.format(), info, threshold, faces, out != null ? output : null,
          out != null ? job.format() : null, out != null && output == null ? out : null, timings);
    } finally {
      if (src != null) {
        src.release();
      }
      if (result != null) {
        result.release();
      }
    }
  }

  /** Checks the header against the limits before the decoder allocates anything. */
  public ImageHeader guard(byte[] encoded) {
    ImageHeader header = ImageHeader.read(encoded);
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
      checkSize(bytes.data().length, "inline image");
      return bytes.data();
    }
    String raw = ((ImageJob.FileInput) input).path();
    Path path = paths.resolveInput(raw);
    try {
      checkSize(Files.size(path), raw);
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new PixelbusException(ErrorCode.NOT_FOUND, "cannot read " + raw + ": " + e.getMessage());
    }
  }

  private byte[] readListed(Path file) {
    try (SeekableByteChannel ch = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      long size = ch.size();
      checkSize(size, file.getFileName().toString());
      ByteBuffer buf = ByteBuffer.allocate((int) size);
      while (buf.hasRemaining() && ch.read(buf) >= 0) {
        // a file that shrinks while it is read ends early; the decoder then sees a truncated image
      }
      return buf.position() == size ? buf.array() : Arrays.copyOf(buf.array(), buf.position());
    } catch (NoSuchFileException e) {
      throw new PixelbusException(ErrorCode.NOT_FOUND, "no such file: " + file.getFileName() + " (removed during the batch?)");
    } catch (AccessDeniedException e) {
      throw new PixelbusException(ErrorCode.FORBIDDEN, "cannot read " + file.getFileName() + ": permission denied");
    } catch (IOException e) {
      if (Files.isSymbolicLink(file)) {
        return read(new ImageJob.FileInput(file.toString()));
      }
      throw new PixelbusException(ErrorCode.NOT_FOUND, "cannot read " + file.getFileName() + ": " + e.getMessage());
    }
  }

  private void checkSize(long size, String what) {
    if (size > limits.maxInputBytes()) {
      throw new PixelbusException(ErrorCode.TOO_LARGE, String.format("%s is %d bytes; the limit is %d bytes (image.maxInputBytes)",
          what, size, limits.maxInputBytes()));
    }
  }

  /**
   * Writes beside the target and renames, so no reader ever sees a half-written image. A plain
   * FileChannel and no clean-up call on success: the Files.write route cost twice as much per tile.
   * CREATE_NEW (not createTempFile, whose 0600 mode would stick) gives the umask's mode.
   */
  private static void write(Path target, byte[] data) {
    Path tmp = target.resolveSibling("." + target.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".part");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(data);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the write failed already; that is the error to report
      }
      throw new PixelbusException(ErrorCode.INTERNAL, "cannot write " + target + ": " + e.getMessage());
    }
  }

  private CascadeClassifier cascade(String requested) {
    Path file = requested == null ? defaultCascade.get() : paths.resolveInput(requested);
    CascadeClassifier c = cascades.get(file);
    if (c == null) {
      c = new CascadeClassifier();
      boolean loaded;
      try {
        loaded = c.load(file.toString());
      } catch (org.opencv.core.CvException e) {
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
