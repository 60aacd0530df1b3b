package dev.pixelbus.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/**
 * A whole folder through the image workers: every image of {@code inputDir} (on the serving node)
 * with one operation, the results in {@code outputDir} under the same names.
 */
@DataObject
public class BatchRequest extends JsonBacked<BatchRequest> {
  public BatchRequest() {
  }

  public BatchRequest(JsonObject json) {
    super(json);
  }

  /** A folder under the input roots. */
  public BatchRequest setInputDir(String inputDir) {
    return set("inputDir", inputDir);
  }

  /** A folder under the output root (not for info). */
  public BatchRequest setOutputDir(String outputDir) {
    return set("outputDir", outputDir);
  }

  /** The operation; default adaptive. */
  public BatchRequest setOp(ImageOp op) {
    return set("op", op == null ? null : op.label());
  }

  /** The operation's parameters, as in its request ({"blockSize": 15}, say). */
  public BatchRequest setParams(JsonObject params) {
    return set("params", params);
  }

  /** At most this many workers; default all of the node's. */
  public BatchRequest setWorkers(Integer workers) {
    return set("workers", workers);
  }

  /** png, jpg or webp for every result; default each input's own extension. */
  public BatchRequest setFormat(String format) {
    return set("format", format);
  }

  public BatchRequest setQuality(Integer quality) {
    return set("quality", quality);
  }

  /** paths (this node's workers read the files), bytes (any node's workers get the images), or auto (default). */
  public BatchRequest setMode(String mode) {
    return set("mode", mode);
  }

  /** The job's id in its progress events and for a cancel (1 to 64 of [A-Za-z0-9._-]); default a new one. */
  public BatchRequest setJobId(String jobId) {
    return set("jobId", jobId);
  }

  /**
   * false: the reply comes at once with the job id alone, and the summary in the last progress event;
   * true (default): the reply is the summary, when the batch ends.
   */
  public BatchRequest setWait(Boolean wait) {
    return set("wait", wait);
  }
}
