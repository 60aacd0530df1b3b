package dev.pixelbus.image.worker;

import dev.pixelbus.api.ImageOp;
import dev.pixelbus.common.PathPolicy;
import dev.pixelbus.image.ops.OutputFormat;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A worker's memory of the batch it is working on: its checked parameters and its folders. Every
 * chunk of a batch repeats them, and checking them again costs about half a millisecond (real
 * paths, creation, permission checks), as much as a whole tile. So the parameters are parsed again
 * only when they change, and the folders confined again when they change or after
 * {@link #TTL_NANOS}. Within that second, a folder replaced by a symbolic link by someone who can
 * write inside the roots would not be noticed.
 */
final class BatchFolders {
  static final long TTL_NANOS = 1_000_000_000L;

  private final PathPolicy paths;
  private String inputRaw;
  private String outputRaw;
  private Path[] resolved;
  private long checkedAt;
  private JsonObject jobKey;
  private ImageJob job;

  BatchFolders(PathPolicy paths) {
    this.paths = paths;
  }

  /** The chunk's op and parameters, checked as every file of the batch would be. */
  ImageJob job(JsonObject chunk) {
    JsonObject key = new JsonObject().put("op", chunk.getValue("op")).put("params", chunk.getValue("params"))
        .put("format", chunk.getValue("format")).put("quality", chunk.getValue("quality"));
    if (!key.equals(jobKey)) {
      String format = chunk.getString("format");
      job = ImageRequestCheck.batchParams(ImageOp.parse(chunk.getString("op")), chunk.getJsonObject("params", new JsonObject()),
          format == null ? null : OutputFormat.parse(format), chunk.getInteger("quality"));
      jobKey = key;
    }
    return job;
  }

  /** [input folder, output folder or null], confined to the roots. */
  Path[] resolve(String inputDir, String outputDir) {
    long now = System.nanoTime();
    if (resolved == null || !inputDir.equals(inputRaw) || !Objects.equals(outputDir, outputRaw) || now - checkedAt > TTL_NANOS) {
      Path in = paths.resolveInputDir(inputDir);
      Path out = outputDir == null ? null : paths.resolveOutputDir(outputDir);
      resolved = new Path[] {in, out};
      inputRaw = inputDir;
      outputRaw = outputDir;
      checkedAt = now;
    }
    return resolved;
  }
}
