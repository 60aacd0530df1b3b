package dev.pixelbus.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/**
 * A whole folder through the image workers: every image of {@code inputDir} (on the serving node)
 * with one operation, the results in {@code outputDir} under the same names.
 */
@DataObject
public class BatchRequest {
  private String inputDir;
  private String outputDir;
  private ImageOp op;
  private JsonObject params;
  private Integer workers;
  private String format;
  private Integer quality;
  private String mode;

  public BatchRequest() {
  }

  public BatchRequest(JsonObject json) {
    inputDir = json.getString("inputDir");
    outputDir = json.getString("outputDir");
    op = json.getString("op") == null ? null : ImageOp.parse(json.getString("op"));
    params = json.getJsonObject("params");
    workers = json.getInteger("workers");
    format = json.getString("format");
    quality = json.getInteger("quality");
    mode = json.getString("mode");
  }

  /** A folder under the input roots. */
  public BatchRequest setInputDir(String inputDir) {
    this.inputDir = inputDir;
    return this;
  }

  /** A folder under the output root (not for info). */
  public BatchRequest setOutputDir(String outputDir) {
    this.outputDir = outputDir;
    return this;
  }

  /** The operation; default adaptive. */
  public BatchRequest setOp(ImageOp op) {
    this.op = op;
    return this;
  }

  /** The operation's parameters, as in its request ({"blockSize": 15}, say). */
  public BatchRequest setParams(JsonObject params) {
    this.params = params;
    return this;
  }

  /** At most this many workers; default all of the node's. */
  public BatchRequest setWorkers(Integer workers) {
    this.workers = workers;
    return this;
  }

  /** png, jpg or webp for every result; default each input's own extension. */
  public BatchRequest setFormat(String format) {
    this.format = format;
    return this;
  }

  public BatchRequest setQuality(Integer quality) {
    this.quality = quality;
    return this;
  }

  /** paths (this node's workers read the files), bytes (any node's workers get the images), or auto (default). */
  public BatchRequest setMode(String mode) {
    this.mode = mode;
    return this;
  }

  public String getInputDir() {
    return inputDir;
  }

  public String getOutputDir() {
    return outputDir;
  }

  public ImageOp getOp() {
    return op;
  }

  public JsonObject getParams() {
    return params;
  }

  public Integer getWorkers() {
    return workers;
  }

  public String getFormat() {
    return format;
  }

  public Integer getQuality() {
    return quality;
  }

  public String getMode() {
    return mode;
  }

  public JsonObject toJson() {
    JsonObject json = JsonFields.putSet(new JsonObject(), "inputDir", inputDir);
    JsonFields.putSet(json, "outputDir", outputDir);
    JsonFields.putSet(json, "op", op == null ? null : op.label());
    JsonFields.putSet(json, "params", params);
    JsonFields.putSet(json, "workers", workers);
    JsonFields.putSet(json, "format", format);
    JsonFields.putSet(json, "quality", quality);
    return JsonFields.putSet(json, "mode", mode);
  }
}
