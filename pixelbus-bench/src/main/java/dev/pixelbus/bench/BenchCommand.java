package dev.pixelbus.bench;

import dev.pixelbus.api.ImageOp;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.app.cli.BatchCommand;
import dev.pixelbus.app.cli.LocalImages;
import dev.pixelbus.app.cli.OpOptions;
import dev.pixelbus.app.cli.Stats;
import dev.pixelbus.image.ImageModule;
import dev.pixelbus.image.ImageSettings;
import dev.pixelbus.image.batch.BatchRunner;
import dev.pixelbus.image.codec.Codecs;
import dev.pixelbus.image.natives.Cascades;
import dev.pixelbus.image.natives.OpenCvNative;
import dev.pixelbus.image.ops.ImageOps;
import dev.pixelbus.image.worker.ImageJob;
import dev.pixelbus.image.worker.ImageProcessor;
import dev.pixelbus.image.worker.ImageRequestCheck;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The course's benchmark, in-process: for each worker count, the whole batch is timed after a
 * warm-up, R times, and the median reported with speedup and parallel efficiency. A plain
 * single-thread loop of the same work (no event bus), on the image workers' own thread pool, is
 * timed first: the limit to compare with; and two such loops at once, beside the 2-worker batch:
 * what the machine's cores give.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, modelTransformer = OpOptions.ParamOptions.class,
    description = {"Time a batch over a folder with 1..N workers, beside a plain single-thread loop of the same work",
        "and (when 2 is among the counts) two such loops at once: what two cores give, the ceiling for 2 workers."},
    footer = {"", "Each timed run writes into a new empty folder, deleted afterwards (outside the timing).",
        "The plain loop runs on the image workers' own thread pool, as a worker does, minus the event bus.",
        "Example: pixelbus bench large_input --workers 1..6 --repeat 5"})
public final class BenchCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "the folder of images")
  Path inputDir;

  @Mixin
  OpOptions op = new OpOptions();

  @Option(names = "--workers", defaultValue = "1..6", description = "worker counts: A..B or a list 1,2,4 (default: ${DEFAULT-VALUE})")
  String workers;

  @Option(names = "--repeat", defaultValue = "5", description = "timed runs per worker count; the median is reported (default: ${DEFAULT-VALUE})")
  int repeat;

  @Option(names = "--results", defaultValue = "bench-results", description = "folder for bench.json and bench.svg (default: ${DEFAULT-VALUE})")
  Path results;

  @Option(names = "--scratch", description = "folder for the runs' outputs (default: a temp folder)")
  Path scratch;

  @Option(names = "--no-loop", description = "skip the plain loop")
  boolean noLoop;

  @Option(names = "--warmup", defaultValue = "5",
      description = "seconds of untimed rounds (the loop and a batch) before the first timed run, so that the JIT has compiled"
          + " the hot code; one batch of a few hundred tiles is far too short for that (default: ${DEFAULT-VALUE})")
  double warmupSeconds;

  @Override
  public Integer call() throws Exception {
    List<Integer> counts = parseCounts(workers);
    Path base = scratch != null ? Files.createDirectories(scratch) : Files.createTempDirectory("pixelbus-bench");
    try (LocalImages images = new LocalImages(counts.get(0))) {
      BatchRunner.Spec template;
      try {
        template = BatchCommand.spec(images, op, inputDir, base.resolve("check"), counts.get(0));
      } catch (PixelbusException | IllegalArgumentException e) {
        System.err.println("pixelbus bench: " + BatchCommand.message(e));
        return 2;
      }
      List<String> names = list(template.inputDir());
      int cores = Runtime.getRuntime().availableProcessors();
      System.out.printf(Locale.ROOT, "pixelbus bench: %d images in %s, op %s %s, median of %d runs after a warm-up, %d cores%n",
          names.size(), template.inputDir(), template.op().label(), template.params().encode(), repeat, cores);
      JsonObject json = new JsonObject().put("images", names.size()).put("inputDir", template.inputDir().toString())
          .put("op", template.op().label()).put("params", template.params()).put("repeat", repeat)
          .put("machine", new JsonObject().put("cores", cores).put("java", System.getProperty("java.version"))
              .put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch")));
      Loop loopRunner = noLoop ? null : new Loop(images.vertx, template, names, base, images.settings());
      double[] loopAll = new double[repeat];
      double[] pairAll = new double[repeat];
      boolean pairTimed = loopRunner != null && counts.contains(2);
      if (loopRunner != null) {
        loopRunner.once(-1);
        loopRunner.once(-2);
      }
      warmUp(images, loopRunner, pairTimed, template, counts.get(0), base);
      json.put("warmupSeconds", warmupSeconds);
      List<BenchChart.Point> points = new ArrayList<>();
      JsonArray rows = new JsonArray();
      for (int n : counts) {
        images.undeploy();
        images.deploy(n);
        BatchRunner.Spec spec = template.withParallelism(2 * n);
        double[] all = new double[repeat];
        for (int r = -1; r < repeat; r++) {
          // The loop's runs alternate with the first worker count's, so that both see the same machine.
          if (loopRunner != null && n == counts.get(0) && r >= 0) {
            loopAll[r] = loopRunner.once(r);
          }
          if (pairTimed && n == 2 && r >= 0) {
            pairAll[r] = loopRunner.twice(r);
          }
          BatchRunner.Summary s = batchInto(images, spec, base.resolve("w" + n + "-" + r));
          if (s.failed() > 0) {
            System.err.println("pixelbus bench: " + s.failed() + " files failed, e.g. " + s.failures().get(0).encode());
            return 1;
          }
          if (r >= 0) {
            all[r] = s.seconds();
          }
        }
        if (loopRunner != null && n == counts.get(0)) {
          json.put("loop", new JsonObject().put("seconds", Stats.median(loopAll)).put("all", array(loopAll)));
          System.out.printf(Locale.ROOT, "Plain loop, 1 thread, no event bus: %.4f seconds.%n", Stats.median(loopAll));
        }
        if (pairTimed && n == 2) {
          json.put("loopPair", new JsonObject().put("seconds", Stats.median(pairAll)).put("all", array(pairAll)));
          System.out.printf(Locale.ROOT, "Two plain loops at once, 2 threads, each every other file, no event bus: %.4f seconds.%n",
              Stats.median(pairAll));
        }
        double t = Stats.median(all);
        double speedup = points.isEmpty() ? 1.0 : points.get(0).seconds() / t * counts.get(0);
        double efficiency = speedup / n;
        points.add(new BenchChart.Point(n, t, speedup));
        rows.add(new JsonObject().put("workers", n).put("seconds", t).put("all", array(all)).put("speedup", speedup)
            .put("efficiency", efficiency).put("imagesPerSecond", names.size() / t));
        System.out.printf(Locale.ROOT, "Took %.4f seconds with %d worker(s).   speedup %.2fx   efficiency %3.0f%%   %.0f images/s%n",
            t, n, speedup, 100 * efficiency, names.size() / t);
      }
      Double loop = loopRunner == null ? null : Stats.median(loopAll);
      json.put("results", rows);
      if (loop != null && !names.isEmpty()) {
        summarizeAgainstLoop(json, loop, pairTimed ? Stats.median(pairAll) : null, points, names.size());
      }
      Files.createDirectories(results);
      Files.writeString(results.resolve("bench.json"), json.encodePrettily());
      String title = String.format(Locale.ROOT, "pixelbus %s on %d images (%d cores)", template.op().label(), names.size(), cores);
      Files.writeString(results.resolve("bench.svg"), BenchChart.svg(title, points, loop));
      System.out.println("Wrote " + results.resolve("bench.json") + " and " + results.resolve("bench.svg"));
      return 0;
    } finally {
      if (scratch == null) {
        delete(base);
      }
    }
  }

  /**
   * Runs the loop and the batch, untimed, until {@link #warmupSeconds} have passed. Measured: after
   * one warm-up run the 400 seed tiles took 0.075 s with 1 worker and 0.068 s with 2; after 70 runs,
   * 0.050 and 0.027 s. Python has no JIT to wait for, so timing a cold JVM compares the compiler, not
   * the work.
   */
  private void warmUp(LocalImages images, Loop loop, boolean pair, BatchRunner.Spec template, int workers, Path base)
      throws Exception {
    BatchRunner.Spec spec = template.withParallelism(2 * workers);
    long start = System.nanoTime();
    long until = start + (long) (warmupSeconds * 1e9);
    int rounds = 0;
    while (System.nanoTime() < until) {
      if (loop != null) {
        loop.once(-3);
        if (pair) {
          loop.twice(-3);
        }
      }
      batchInto(images, spec, base.resolve("warm"));
      rounds++;
    }
    if (rounds > 0) {
      System.out.printf(Locale.ROOT, "Warm-up: %d untimed rounds of the loop and the batch in %.1f s.%n", rounds,
          (System.nanoTime() - start) / 1e9);
    }
  }

  /** The event bus's cost per image, and 2 workers against half the loop: the figures the README quotes. */
  private static void summarizeAgainstLoop(JsonObject json, double loop, Double pair, List<BenchChart.Point> points,
      int images) {
    double perImage = loop / images;
    points.stream().filter(p -> p.workers() == 1).findFirst().ifPresent(one -> {
      double cost = (one.seconds() - loop) / images;
      json.put("busCostPerImageMicros", cost * 1e6).put("busCostPercent", 100 * cost / perImage);
      System.out.printf(Locale.ROOT, "Event-bus cost: %.1f µs per image (1-worker batch minus the loop), %.1f%% of the"
          + " %.1f µs of work per image.%n", cost * 1e6, 100 * cost / perImage, perImage * 1e6);
    });
    points.stream().filter(p -> p.workers() == 2).findFirst().ifPresent(two -> {
      json.put("twoWorkersVsHalfLoop", two.seconds() / (loop / 2));
      System.out.printf(Locale.ROOT, "2 workers take %.2f × (the loop ÷ 2).%n", two.seconds() / (loop / 2));
      if (pair != null) {
        json.put("loopPairVsHalfLoop", pair / (loop / 2)).put("twoWorkersVsLoopPair", two.seconds() / pair);
        System.out.printf(Locale.ROOT, "Two loops at once take %.2f × (the loop ÷ 2): what this machine's cores give;"
            + " 2 workers take %.2f × the two loops.%n", pair / (loop / 2), two.seconds() / pair);
      }
    });
  }

  @FunctionalInterface
  private interface Work {
    void run(Path out) throws Exception;
  }

  /**
   * The same work as a worker does, file by file, with no event bus: the same {@link ImageProcessor}
   * call a worker makes for each file of a chunk (read, guard, decode, op, encode, atomic write), the
   * same output format, OpenCV's thread count as {@code image.opencvThreads} sets it for the workers,
   * and on a thread of the workers' own pool (see {@link #onWorkerThread}).
   */
  private static final class Loop {
    private final Vertx vertx;
    private final BatchRunner.Spec spec;
    private final List<String> names;
    private final Path base;
    private final ImageSettings settings;
    private final ImageProcessor processor;
    private final ImageJob job;
    private ExecutorService pair;
    private ImageProcessor[] pairProcessors;

    Loop(Vertx vertx, BatchRunner.Spec spec, List<String> names, Path base, ImageSettings settings) {
      this.vertx = vertx;
      this.spec = spec;
      this.names = names;
      this.base = base;
      this.settings = settings;
      OpenCvNative.load(settings.cacheDir());
      ImageOps.setThreads(settings.opencvThreads());
      processor = newProcessor();
      job = ImageRequestCheck.batchParams(spec.op(), spec.params(), spec.format(), spec.quality());
    }

    /** A processor as a worker has one: the same limits, cascade and codec (image.jpegCodec). */
    private ImageProcessor newProcessor() {
      return new ImageProcessor(null, settings.limits(), () -> Cascades.resolve(settings.cascade(), settings.cacheDir()),
          Codecs.forWorker(settings.jpegCodec()));
    }

    double once(int run) throws Exception {
      return timedIn("loop" + run, out -> onWorkerThread(() -> runShare(processor, out, 0, 1)));
    }

    /**
     * Runs the loop on a thread of the image workers' pool ({@link ImageModule#WORKER_POOL}, shared
     * by name while the workers are deployed): with 1 worker, the very thread the worker runs on.
     * It used to run on the JVM's main thread, and the native memory behind OpenCV's Mats made that
     * a different machine: glibc's malloc serves threads from separate arenas, and whether an arena
     * hands the pixels freed after each image back to the kernel depends on what else lives in it.
     * The main thread's did (madvise DONTNEED of 15.9 MB after every ship.jpg, seen with strace: 239
     * calls for 240 images, against 1 on the worker's thread), so every decode and every Mat of the
     * next image started on fresh zeroed pages, and the loop took up to 2 × the 1-worker batch's time:
     * an event bus that seemed to cost less than nothing (docs/batch.md). On the worker's own thread
     * both share one arena, whichever way it behaves.
     */
    private void onWorkerThread(Runnable work) {
      WorkerExecutor pool = vertx.createSharedWorkerExecutor(ImageModule.WORKER_POOL);
      try {
        pool.executeBlocking(() -> {
          work.run();
          return null;
        }, false).await();
      } finally {
        pool.close(); // the pool itself lives on while the workers' deployment holds it
      }
    }

    /**
     * Two of the plain loops at once, on two threads, each taking every other file: no event bus,
     * no coordination but the final join. What two cores of this machine give to two independent
     * copies of the work, the ceiling for a 2-worker batch.
     */
    double twice(int run) throws Exception {
      if (pair == null) {
        pair = Executors.newFixedThreadPool(2, r -> {
          Thread t = new Thread(r, "bench-loop-pair");
          t.setDaemon(true);
          return t;
        });
        pairProcessors = new ImageProcessor[] {newProcessor(), newProcessor()};
      }
      return timedIn("pair" + run, out -> {
        List<Future<?>> halves = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
          int share = k;
          halves.add(pair.submit(() -> runShare(pairProcessors[share], out, share, 2)));
        }
        for (Future<?> f : halves) {
          f.get();
        }
      });
    }

    /** Some work with its outputs in a new empty folder: its seconds, the folder's clean-up not counted. */
    private double timedIn(String folder, Work work) throws Exception {
      Path out = Files.createDirectories(base.resolve(folder));
      long t0 = System.nanoTime();
      work.run(out);
      double seconds = (System.nanoTime() - t0) / 1e9;
      delete(out);
      return seconds;
    }

    private void runShare(ImageProcessor p, Path out, int share, int shares) {
      for (int i = share; i < names.size(); i += shares) {
        p.runBatchFile(job, spec.format(), spec.inputDir(), names.get(i), job.op() == ImageOp.INFO ? null : out);
      }
    }
  }

  /** One batch into a new empty folder, deleted afterwards (outside the batch's own timing). */
  private static BatchRunner.Summary batchInto(LocalImages images, BatchRunner.Spec s, Path dir)
      throws IOException, InterruptedException {
    Path out = Files.createDirectories(dir);
    BatchRunner.Summary summary = images.batch(s.withOutputDir(s.op() == ImageOp.INFO ? null : out), null);
    delete(out);
    return summary;
  }

  static List<Integer> parseCounts(String text) {
    List<Integer> counts = new ArrayList<>();
    if (text.contains("..")) {
      String[] ab = text.split("\\.\\.");
      for (int i = Integer.parseInt(ab[0].trim()); i <= Integer.parseInt(ab[1].trim()); i++) {
        counts.add(i);
      }
    } else {
      Arrays.stream(text.split(",")).map(String::trim).map(Integer::parseInt).forEach(counts::add);
    }
    if (counts.isEmpty() || counts.stream().anyMatch(n -> n < 1)) {
      throw new IllegalArgumentException("--workers must name counts of 1 or more, not " + text);
    }
    return counts;
  }

  private static List<String> list(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        if (BatchRunner.isBatchFile(p)) {
          names.add(p.getFileName().toString());
        }
      }
    }
    names.sort(null);
    return names;
  }

  private static JsonArray array(double[] values) {
    JsonArray a = new JsonArray();
    for (double v : values) {
      a.add(v);
    }
    return a;
  }

  static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
