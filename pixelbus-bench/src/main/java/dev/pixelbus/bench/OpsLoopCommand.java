package dev.pixelbus.bench;

import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.common.ProcessUsage;
import dev.pixelbus.image.natives.OpenCvNative;
import dev.pixelbus.image.ops.ImageOps;
import dev.pixelbus.image.ops.OutputFormat;
import dev.pixelbus.image.worker.ImageProcessor;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * The "raw work" baseline of scripts/bench-http: N plain threads, each looping over the grayscale
 * job exactly as an image worker does it (decode IMREAD_COLOR, cvtColor BGR2GRAY, encode PNG, every
 * Mat released) on one file's bytes, read once. No Vert.x, no HTTP, no event bus: what is left when
 * the server is taken away.
 */
@Command(name = "ops-loop", mixinStandardHelpOptions = true,
    description = {"Grayscale one image in a plain loop on N threads: decode (IMREAD_COLOR), cvtColor BGR2GRAY,",
        "encode PNG, the calls an image worker makes. Reports images/s (all threads) and ms per image,",
        "measured over --seconds after --warmup seconds, and the process CPU time in the measured period."},
    footer = {"", "Examples: pixelbus ops-loop photo.jpg --threads 2 --seconds 10 --json",
        "          pixelbus ops-loop ship.jpg --make-jpeg ship-1mp.jpg --megapixels 1   (resize, write, exit)"})
public final class OpsLoopCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "the image to process (or, with --make-jpeg, to resize)")
  Path image;

  @Option(names = "--threads", paramLabel = "N", description = "looping threads (default: the number of cores)")
  Integer threads;

  @Option(names = "--seconds", paramLabel = "SECONDS", defaultValue = "10", description = "the measured period (default: ${DEFAULT-VALUE})")
  double seconds;

  @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "3", description = "seconds of looping before it (default: ${DEFAULT-VALUE})")
  double warmup;

  @Option(names = "--opencv-threads", paramLabel = "N", defaultValue = "1",
      description = "OpenCV's own thread count, as image.opencvThreads sets it for the workers; 0 = OpenCV's default"
          + " (default: ${DEFAULT-VALUE})")
  int opencvThreads;

  @Option(names = "--json", description = "also print one JSON object line (last line of stdout)")
  boolean json;

  @Option(names = "--make-jpeg", paramLabel = "OUT", description = "instead: resize the image to --megapixels (INTER_AREA) and write it as a JPEG")
  Path makeJpeg;

  @Option(names = "--megapixels", defaultValue = "1", description = "with --make-jpeg: the target size (default: ${DEFAULT-VALUE})")
  double megapixels;

  @Option(names = "--quality", defaultValue = "95", description = "with --make-jpeg: the JPEG quality (default: ${DEFAULT-VALUE})")
  int quality;

  /** What one thread did in the measured period. */
  private record Tally(long images, long busyNanos) {
  }

  @Override
  public Integer call() throws Exception {
    try {
      int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
      if (n < 1 || seconds <= 0 || warmup < 0 || opencvThreads < 0 || megapixels <= 0 || quality < 1 || quality > 100) {
        System.err.println("pixelbus ops-loop: --threads and --seconds must be positive, --warmup and --opencv-threads"
            + " not negative, --megapixels positive, --quality 1..100");
        return 2;
      }
      OpenCvNative.load();
      byte[] encoded = Files.readAllBytes(image);
      new ImageProcessor(null, new ImageProcessor.Limits(100_000_000, Long.MAX_VALUE), null).guard(encoded);
      return makeJpeg != null ? makeJpeg(encoded) : loop(encoded, n);
    } catch (PixelbusException e) {
      System.err.println("pixelbus ops-loop: " + e.failureCode() + " " + e.getMessage());
      return 2;
    } catch (NoSuchFileException e) {
      System.err.println("pixelbus ops-loop: 404 no such file: " + e.getFile());
      return 2;
    }
  }

  /** One image, as the worker makes it: the bytes of the PNG, every Mat released. */
  static byte[] grayscalePng(byte[] encoded) {
    Mat src = ImageOps.decode(encoded, Imgcodecs.IMREAD_COLOR);
    Mat gray = null;
    try {
      gray = ImageOps.grayscale(src);
      return ImageOps.encode(gray, OutputFormat.PNG, null);
    } finally {
      src.release();
      if (gray != null) {
        gray.release();
      }
    }
  }

  private int loop(byte[] encoded, int n) throws InterruptedException {
    ImageOps.setThreads(opencvThreads == 0 ? -1 : opencvThreads);
    byte[] sample = grayscalePng(encoded); // fails here, once, on an image the decoder rejects
    Mat probe = ImageOps.decode(encoded, Imgcodecs.IMREAD_COLOR);
    int width = probe.cols();
    int height = probe.rows();
    probe.release();

    CountDownLatch ready = new CountDownLatch(n);
    CountDownLatch go = new CountDownLatch(1);
    long[] window = new long[2]; // set before go opens: the start and end of the measured period
    List<Tally> tallies = new ArrayList<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int index = i;
      tallies.add(null);
      Thread t = new Thread(() -> {
        ready.countDown();
        try {
          go.await();
          long from = window[0];
          long to = window[1];
          long images = 0;
          long busy = 0;
          while (failure.get() == null) {
            long t0 = System.nanoTime();
            grayscalePng(encoded);
            long t1 = System.nanoTime();
            if (t1 >= to) {
              break;
            }
            if (t1 >= from) {
              images++;
              busy += t1 - t0;
            }
          }
          synchronized (tallies) {
            tallies.set(index, new Tally(images, busy));
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, "ops-loop-" + i);
      t.start();
      workers.add(t);
    }
    ready.await();
    long start = System.nanoTime();
    window[0] = start + (long) (warmup * 1e9);
    window[1] = window[0] + (long) (seconds * 1e9);
    go.countDown();
    System.err.printf("ops-loop: %d thread(s), %.0f s warm-up, %.0f s measured, %s (%dx%d, %d bytes)%n", n, warmup,
        seconds, image, width, height, encoded.length);
    sleepUntil(window[0]);
    long cpu0 = ProcessUsage.cpuNanos();
    sleepUntil(window[1]);
    long cpu1 = ProcessUsage.cpuNanos();
    for (Thread t : workers) {
      t.join();
    }
    if (failure.get() != null) {
      System.err.println("pixelbus ops-loop: the loop failed: " + failure.get());
      return 1;
    }
    long images = 0;
    long busy = 0;
    for (Tally t : tallies) {
      images += t.images();
      busy += t.busyNanos();
    }
    double perSecond = images / seconds;
    double msPerImage = images == 0 ? Double.NaN : busy / 1e6 / images;
    double cpuSeconds = cpu0 < 0 || cpu1 < 0 ? Double.NaN : (cpu1 - cpu0) / 1e9;
    System.out.printf("ops-loop: %d images in %.1f s on %d thread(s): %.1f images/s, %.2f ms per image (per thread),"
            + " process CPU %.2f s (%.2f ms per image)%n", images, seconds, n, perSecond, msPerImage, cpuSeconds,
        images == 0 ? Double.NaN : cpuSeconds * 1000 / images);
    if (json) {
      System.out.println(new JsonObject().put("image", image.toString()).put("width", width).put("height", height)
          .put("inputBytes", encoded.length).put("outputBytes", sample.length).put("threads", n)
          .put("opencvThreads", opencvThreads).put("warmupSeconds", warmup).put("seconds", seconds).put("images", images)
          .put("imagesPerSecond", round(perSecond, 2)).put("msPerImage", round(msPerImage, 3))
          .put("cpuSeconds", round(cpuSeconds, 3)).encode());
    }
    System.out.flush();
    return 0;
  }

  private int makeJpeg(byte[] encoded) throws IOException {
    Mat src = ImageOps.decode(encoded, Imgcodecs.IMREAD_COLOR);
    Mat resized = new Mat();
    try {
      double scale = Math.sqrt(megapixels * 1e6 / ((double) src.cols() * src.rows()));
      int w = Math.max(1, (int) Math.round(src.cols() * scale));
      int h = Math.max(1, (int) Math.round(src.rows() * scale));
      Imgproc.resize(src, resized, new Size(w, h), 0, 0, scale < 1 ? Imgproc.INTER_AREA : Imgproc.INTER_CUBIC);
      byte[] jpeg = ImageOps.encode(resized, OutputFormat.JPEG, quality);
      Path parent = makeJpeg.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.write(makeJpeg, jpeg);
      System.out.printf("%s: %dx%d (%.2f MP), JPEG quality %d, %d bytes%n", makeJpeg, w, h, w * (double) h / 1e6, quality,
          jpeg.length);
      return 0;
    } finally {
      src.release();
      resized.release();
    }
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
    }
  }

  private static double round(double v, int places) {
    double f = Math.pow(10, places);
    return Double.isFinite(v) ? Math.round(v * f) / f : v;
  }

  /** Runs without Main's subcommand list: java -cp pixelbus.jar dev.pixelbus.bench.OpsLoopCommand IMAGE ... */
  public static void main(String[] args) {
    System.exit(new CommandLine(new OpsLoopCommand()).execute(args));
  }
}
