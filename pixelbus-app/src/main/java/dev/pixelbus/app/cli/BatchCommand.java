package dev.pixelbus.app.cli;

import dev.pixelbus.api.ImageOp;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.common.ProcessUsage;
import dev.pixelbus.image.ImageSettings;
import dev.pixelbus.image.batch.BatchRunner;
import dev.pixelbus.image.worker.ImageRequestCheck;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Runs one operation over every image in a folder, through the image workers on the event bus,
 * with a progress bar, and ends with a summary and the list of files that failed.
 */
@Command(name = "batch", mixinStandardHelpOptions = true, modelTransformer = OpOptions.ParamOptions.class,
    description = "Process every image of a folder (not its subfolders; hidden files skipped) into another folder.",
    footer = {"", "Exit status: 0 all done, 1 some files failed (listed), 2 the batch could not run.", "",
        "Example (the course's examples 5 and 6):",
        "  pixelbus batch large_input large_output --op adaptive --method gaussian --block-size 11 -c 2 --workers 2",
        "A pipeline on every file:",
        "  pixelbus batch photos thumbs --op pipeline --steps '[{\"op\":\"resize\",\"width\":320},{\"op\":\"blur\",\"ksize\":3}]'"})
public final class BatchCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "the folder of images")
  Path inputDir;

  @Parameters(index = "1", description = "the folder to write into (created if missing)")
  Path outputDir;

  @Mixin
  OpOptions op = new OpOptions();

  @Option(names = "--workers", defaultValue = "-1",
      description = "image workers in this process (default: one per core; with --cluster, 0 means none: only other nodes work)")
  int workers;

  @Option(names = "--cluster", description = "join the Hazelcast cluster (conf/cluster.xml) and share the work with its nodes")
  boolean cluster;

  @Option(names = "--cluster-host", description = "with --cluster: the address other nodes reach this one at (default: Hazelcast's choice)")
  String clusterHost;

  @Option(names = "--cluster-port", defaultValue = "0",
      description = "with --cluster: the event-bus port other nodes reach this one at (default: a free one)")
  int clusterPort;

  @Option(names = "--mode", defaultValue = "auto",
      description = "paths: workers read and write the files (this process only); bytes: the images travel in the messages, "
          + "so any node's workers can take them, and this process writes the results; auto: bytes with --cluster, else paths")
  String mode;

  @Option(names = "--in-flight",
      description = "chunks of images out at once (default: 2 per local worker; in bytes mode at least image.bytesInFlight, 16)")
  Integer inFlight;

  @Option(names = "--chunk-timeout",
      description = "bytes mode: the longest wait in ms for a chunk's results before it goes again, to any node; below it the wait "
          + "follows the batch's pace (default: image.chunkTimeoutMs, 30000)")
  Long chunkTimeoutMs;

  @Option(names = "--repeat", defaultValue = "0",
      description = "for benchmarks: run the whole batch this many more times in this process and print each time, its median, "
          + "and this process's CPU per image")
  int repeat;

  @Option(names = "--json", description = "also write the summary as JSON to this file")
  Path json;

  @Option(names = "--trace", description = "every N images, print the rate over those N and the process's RSS")
  Integer trace;

  @Override
  public Integer call() throws Exception {
    int n = workers > 0 || (cluster && workers == 0) ? workers : Runtime.getRuntime().availableProcessors();
    boolean bytes;
    try {
      if (!List.of("auto", "paths", "bytes").contains(mode)) {
        throw new IllegalArgumentException("--mode must be auto, paths or bytes, not " + mode);
      }
      bytes = BatchRunner.bytesMode(mode, cluster);
      if (!bytes && n == 0) {
        throw new IllegalArgumentException("--workers 0 needs bytes mode: the other nodes cannot read this machine's files");
      }
      if ((chunkTimeoutMs != null && chunkTimeoutMs <= 0) || (inFlight != null && inFlight < 1) || repeat < 0
          || (trace != null && trace < 1)) {
        throw new IllegalArgumentException("--chunk-timeout, --in-flight and --trace must be positive, --repeat 0 or more");
      }
    } catch (IllegalArgumentException e) {
      System.err.println("pixelbus batch: " + e.getMessage());
      return 2;
    }
    LocalImages started;
    try {
      started = new LocalImages(n, cluster ? (clusterHost == null ? "" : clusterHost) : null, clusterPort);
    } catch (RuntimeException e) {
      // A bad setting, OpenCV that will not load, a cluster that cannot be joined: the batch cannot run (2),
      // which is not "some files failed" (1).
      System.err.println("pixelbus batch: cannot run: " + (e.getMessage() == null ? e.toString() : message(e)));
      return 2;
    }
    try (LocalImages images = started) {
      BatchRunner.Spec spec;
      try {
        spec = spec(images, op, inputDir, outputDir, Math.max(1, n));
        if (bytes) {
          ImageSettings settings = images.settings();
          spec = spec.inBytesMode(images.paths, settings.batch(),
              chunkTimeoutMs != null ? chunkTimeoutMs : settings.chunkTimeoutMs(), inFlight, n);
        } else if (inFlight != null) {
          spec = spec.withParallelism(inFlight);
        }
      } catch (PixelbusException | IllegalArgumentException e) {
        System.err.println("pixelbus batch: " + message(e));
        return 2;
      }
      ProgressLine line = new ProgressLine(System.err, ProgressLine.isTerminal(), "batch");
      Tracer tracer = trace == null ? null : new Tracer(trace);
      BatchRunner.Summary summary;
      try {
        summary = images.batch(spec, p -> {
          line.show(p);
          if (tracer != null) {
            tracer.sample(p);
          }
        });
      } catch (PixelbusException e) {
        line.end();
        System.err.println("pixelbus batch: " + message(e));
        return 2;
      }
      line.end();
      if (repeat > 0) {
        System.out.printf(Locale.ROOT, "warm-up run: %.4f s%n", summary.seconds());
        System.out.flush(); // a benchmark script starts its measures of other processes on this line
        summary = repeat(images, spec, summary);
      }
      print(summary);
      if (json != null) {
        try {
          Files.writeString(json, summary.toJson().encodePrettily());
        } catch (IOException e) {
          System.err.println("pixelbus batch: cannot write " + json + ": " + e); // the images are written
          return 2;
        }
      }
      return summary.failed() > 0 ? 1 : 0;
    }
  }

  /** Checks the parameters and the folders before anything runs: a mistake is one message, not N failures. */
  public static BatchRunner.Spec spec(LocalImages images, OpOptions op, Path inputDir, Path outputDir, int workers) {
    ImageOp imageOp = op.op();
    JsonObject params = op.params();
    ImageRequestCheck.batchParams(imageOp, params, op.format(), op.quality());
    Path in = images.paths.resolveInputDir(inputDir.toAbsolutePath().normalize().toString());
    Path out = imageOp == ImageOp.INFO ? null : images.paths.resolveOutputDir(outputDir.toAbsolutePath().normalize().toString());
    return new BatchRunner.Spec(in, out, imageOp, params, op.format(), op.quality(), 2 * workers);
  }

  public static String message(Exception e) {
    return e instanceof PixelbusException pe ? pe.failureCode() + " " + pe.getMessage() : e.getMessage();
  }

  /** Runs the batch {@link #repeat} more times (the first run was the warm-up) and prints what each took. */
  private BatchRunner.Summary repeat(LocalImages images, BatchRunner.Spec spec, BatchRunner.Summary first)
      throws InterruptedException {
    double[] seconds = new double[repeat];
    double[] cpu = new double[repeat];
    BatchRunner.Summary last = first;
    for (int r = 0; r < repeat; r++) {
      long cpu0 = ProcessUsage.cpuNanos();
      last = images.batch(spec, null);
      cpu[r] = (ProcessUsage.cpuNanos() - cpu0) / 1e9;
      seconds[r] = last.seconds();
      System.out.printf(Locale.ROOT, "run %d: %.4f s, %d images, %d failed, this process's CPU %.3f s%n", r + 1, seconds[r],
          last.images(), last.failed(), cpu[r]);
    }
    double median = Stats.median(seconds);
    System.out.printf(Locale.ROOT, "median of %d runs: %.4f s, %.1f images per second, this process's CPU %.1f µs per image%n",
        repeat, median, last.images() / median, Stats.median(cpu) * 1e6 / Math.max(1, last.images()));
    return last;
  }

  private static void print(BatchRunner.Summary s) {
    System.out.printf(Locale.ROOT, "images: %d, failed: %d, seconds: %.3f, images per second: %.1f%n", s.images(),
        s.failed(), s.seconds(), s.imagesPerSecond());
    if (s.failed() > 0) {
      System.out.println("failed files:");
      s.failures().forEach(f -> System.out.printf("  %s  %d  %s%n", f.getString("file"), f.getInteger("code"),
          f.getString("message")));
      if (s.failed() > s.failures().size()) {
        System.out.printf("  ... and %d more%n", s.failed() - s.failures().size());
      }
    }
  }

  /** Prints the rate of each run of N images and the resident memory, to show both hold steady. */
  static final class Tracer {
    private final int every;
    private long nextMark;
    private long lastDone;
    private double lastSeconds;

    Tracer(int every) {
      this.every = every;
      this.nextMark = every;
    }

    void sample(BatchRunner.Progress p) {
      if (p == null || p.done() < nextMark) {
        return;
      }
      double rate = (p.done() - lastDone) / Math.max(1e-9, p.seconds() - lastSeconds);
      Runtime rt = Runtime.getRuntime();
      System.err.printf(Locale.ROOT, "%ntrace: images %d-%d: %.0f img/s, RSS %d MB, Java heap %d MB used of %d MB committed%n",
          lastDone + 1, p.done(), rate, ProcessUsage.rssMb(), (rt.totalMemory() - rt.freeMemory()) >> 20, rt.totalMemory() >> 20);
      lastDone = p.done();
      lastSeconds = p.seconds();
      nextMark = (p.done() / every + 1) * every;
    }
  }
}
