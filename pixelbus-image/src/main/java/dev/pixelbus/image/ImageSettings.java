package dev.pixelbus.image;

import static dev.pixelbus.common.Checks.require;

import dev.pixelbus.common.PathPolicy;
import dev.pixelbus.image.batch.BatchSettings;
import dev.pixelbus.image.codec.JpegCodec;
import dev.pixelbus.image.worker.ImageProcessor;
import dev.pixelbus.image.worker.WorkerSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code image} section of the configuration, checked at start so that a bad value stops the
 * server with a message instead of failing the first request.
 *
 * @param workers         worker verticle instances; 0 in the file means one per core
 * @param queueCapacity   requests waiting for a free worker before new ones get 503
 * @param workerTimeoutMs how long the dispatcher waits for one worker's reply
 * @param cascade         the default Haar cascade file, or null for the one built into the jar
 * @param opencvThreads   OpenCV's own thread count (process-wide)
 * @param cacheDir        where the native library and the bundled cascade are extracted, or null for the default
 * @param maxBatches      batches that {@code pixelbus.image.batch} runs at once
 * @param chunkTimeoutMs  bytes mode: how long a batch waits for a chunk's results before sending it again
 * @param bytesInFlight   bytes mode: chunks a batch has out at once, over every node of the cluster
 * @param jpegCodec       what decodes and encodes JPEG: the system's libjpeg-turbo when it loads (auto), or OpenCV's
 */
public record ImageSettings(int workers, int queueCapacity, long workerTimeoutMs, long maxPixels, long maxInputBytes,
                            List<Path> inputRoots, Path outputRoot, Path cascade, int opencvThreads, Path cacheDir,
                            int maxBatches, long chunkTimeoutMs, int bytesInFlight, JpegCodec jpegCodec) {

  public ImageSettings {
    require(workers >= 1, "image.workers must be 0 (one per core) or more");
    require(queueCapacity >= 0, "image.queueCapacity must be 0 or more");
    require(workerTimeoutMs > 0, "image.workerTimeoutMs must be positive");
    require(maxPixels > 0, "image.maxPixels must be positive");
    require(maxInputBytes > 0, "image.maxInputBytes must be positive");
    require(!inputRoots.isEmpty(), "image.inputRoots needs at least one folder");
    require(opencvThreads >= 0, "image.opencvThreads must be 0 (OpenCV's default) or more");
    require(maxBatches >= 1, "image.maxBatches must be 1 or more");
    require(chunkTimeoutMs > 0, "image.chunkTimeoutMs must be positive");
    require(bytesInFlight >= 1, "image.bytesInFlight must be 1 or more");
  }

  /**
   * Reads the whole configuration's {@code image} and {@code opencv} sections: each key, its default, and the
   * component it sets, one per line.
   */
  public static ImageSettings from(JsonObject config) {
    JsonObject c = config.getJsonObject("image", new JsonObject());
    int workers = c.getInteger("workers", 0);
    List<Path> roots = new ArrayList<>();
    for (Object root : c.getJsonArray("inputRoots", new JsonArray().add("."))) {
      roots.add(Path.of(String.valueOf(root)));
    }
    String cascade = c.getString("cascade", "");
    String cacheDir = config.getJsonObject("opencv", new JsonObject()).getString("cacheDir", "");
    return builder()
        .workers(workers <= 0 ? Runtime.getRuntime().availableProcessors() : workers)
        .queueCapacity(c.getInteger("queueCapacity", 256))
        .workerTimeoutMs(c.getLong("workerTimeoutMs", 120_000L))
        .maxPixels(c.getLong("maxPixels", 100_000_000L))
        .maxInputBytes(c.getLong("maxInputBytes", 256L << 20))
        .inputRoots(roots)
        .outputRoot(Path.of(c.getString("outputRoot", "output")))
        .cascade(cascade.isBlank() ? null : Path.of(cascade))
        .opencvThreads(c.getInteger("opencvThreads", 1))
        .cacheDir(cacheDir.isBlank() ? null : Path.of(cacheDir))
        .maxBatches(c.getInteger("maxBatches", 4))
        .chunkTimeoutMs(c.getLong("chunkTimeoutMs", 30_000L))
        .bytesInFlight(c.getInteger("bytesInFlight", 16))
        .jpegCodec(JpegCodec.parse(c.getString("jpegCodec", "auto")))
        .build();
  }

  public PathPolicy pathPolicy() {
    return new PathPolicy(inputRoots, outputRoot);
  }

  public ImageProcessor.Limits limits() {
    return new ImageProcessor.Limits(maxPixels, maxInputBytes);
  }

  /** What each worker verticle gets. */
  public WorkerSettings worker() {
    return new WorkerSettings(pathPolicy(), limits(), cascade, cacheDir, opencvThreads, jpegCodec);
  }

  /** What the batch verticle gets. */
  public BatchSettings batch() {
    return new BatchSettings(pathPolicy(), maxBatches, workers, maxInputBytes, chunkTimeoutMs, bytesInFlight);
  }

  /** Settings by name, for {@link #from} and for code that embeds the image module; unset components are 0, false or null. */
  public static Builder builder() {
    return new Builder();
  }

  /** The components by name, so that none is set by its position in a long argument list. */
  public static final class Builder {
    private int workers;
    private int queueCapacity;
    private long workerTimeoutMs;
    private long maxPixels;
    private long maxInputBytes;
    private List<Path> inputRoots;
    private Path outputRoot;
    private Path cascade;
    private int opencvThreads;
    private JpegCodec jpegCodec = JpegCodec.AUTO;
    private Path cacheDir;
    private int maxBatches;
    private long chunkTimeoutMs;
    private int bytesInFlight;

    private Builder() {
    }

    public Builder workers(int value) {
      workers = value;
      return this;
    }

    public Builder queueCapacity(int value) {
      queueCapacity = value;
      return this;
    }

    public Builder workerTimeoutMs(long value) {
      workerTimeoutMs = value;
      return this;
    }

    public Builder maxPixels(long value) {
      maxPixels = value;
      return this;
    }

    public Builder maxInputBytes(long value) {
      maxInputBytes = value;
      return this;
    }

    public Builder inputRoots(List<Path> value) {
      inputRoots = value;
      return this;
    }

    public Builder outputRoot(Path value) {
      outputRoot = value;
      return this;
    }

    public Builder cascade(Path value) {
      cascade = value;
      return this;
    }

    public Builder jpegCodec(JpegCodec value) {
      jpegCodec = value;
      return this;
    }

    public Builder opencvThreads(int value) {
      opencvThreads = value;
      return this;
    }

    public Builder cacheDir(Path value) {
      cacheDir = value;
      return this;
    }

    public Builder maxBatches(int value) {
      maxBatches = value;
      return this;
    }

    public Builder chunkTimeoutMs(long value) {
      chunkTimeoutMs = value;
      return this;
    }

    public Builder bytesInFlight(int value) {
      bytesInFlight = value;
      return this;
    }

    /** Checks every value (the record's constructor names the key of a bad one). */
    public ImageSettings build() {
      return new ImageSettings(workers, queueCapacity, workerTimeoutMs, maxPixels, maxInputBytes, inputRoots,
          outputRoot, cascade, opencvThreads, cacheDir, maxBatches, chunkTimeoutMs, bytesInFlight, jpegCodec);
    }
  }
}
