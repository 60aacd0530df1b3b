package dev.pixelbus.image;

import static dev.pixelbus.common.Checks.require;

import dev.pixelbus.common.PathPolicy;
import dev.pixelbus.image.batch.BatchSettings;
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
 */
public record ImageSettings(int workers, int queueCapacity, long workerTimeoutMs, long maxPixels, long maxInputBytes,
                            List<Path> inputRoots, Path outputRoot, Path cascade, int opencvThreads, Path cacheDir,
                            int maxBatches, long chunkTimeoutMs, int bytesInFlight) {

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

  /** Reads the whole configuration's {@code image} and {@code opencv} sections. */
  public static ImageSettings from(JsonObject config) {
    JsonObject c = config.getJsonObject("image", new JsonObject());
    int workers = c.getInteger("workers", 0);
    List<Path> roots = new ArrayList<>();
    for (Object root : c.getJsonArray("inputRoots", new JsonArray().add("."))) {
      roots.add(Path.of(String.valueOf(root)));
    }
    String cascade = c.getString("cascade", "");
    String cacheDir = config.getJsonObject("opencv", new JsonObject()).getString("cacheDir", "");
    return new ImageSettings(workers <= 0 ? Runtime.getRuntime().availableProcessors() : workers,
        c.getInteger("queueCapacity", 256), c.getLong("workerTimeoutMs", 120_000L), c.getLong("maxPixels", 100_000_000L),
        c.getLong("maxInputBytes", 256L << 20), roots, Path.of(c.getString("outputRoot", "output")),
        cascade.isBlank() ? null : Path.of(cascade), c.getInteger("opencvThreads", 1),
        cacheDir.isBlank() ? null : Path.of(cacheDir), c.getInteger("maxBatches", 4), c.getLong("chunkTimeoutMs", 30_000L),
        c.getInteger("bytesInFlight", 16));
  }

  public PathPolicy pathPolicy() {
    return new PathPolicy(inputRoots, outputRoot);
  }

  public ImageProcessor.Limits limits() {
    return new ImageProcessor.Limits(maxPixels, maxInputBytes);
  }

  /** What each worker verticle gets. */
  public WorkerSettings worker() {
    return new WorkerSettings(pathPolicy(), limits(), cascade, cacheDir, opencvThreads);
  }

  /** What the batch verticle gets. */
  public BatchSettings batch() {
    return new BatchSettings(pathPolicy(), maxBatches, workers, maxInputBytes, chunkTimeoutMs, bytesInFlight);
  }
}
