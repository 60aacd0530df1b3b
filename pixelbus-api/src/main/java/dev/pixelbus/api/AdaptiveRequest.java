package dev.pixelbus.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/** cv2.adaptiveThreshold(gray, max, method, type, blockSize, c); the defaults are the course's, gaussian 11/2. */
@DataObject
public class AdaptiveRequest extends ImageOpRequest<AdaptiveRequest> {
  private String method;
  private Integer blockSize;
  private Double c;
  private Double max;
  private String type;

  public AdaptiveRequest() {
  }

  public AdaptiveRequest(JsonObject json) {
    super(json);
    method = json.getString("method");
    blockSize = json.getInteger("blockSize");
    c = json.getDouble("c");
    max = json.getDouble("max");
    type = json.getString("type");
  }

  /** mean or gaussian (default). */
  public AdaptiveRequest setMethod(String method) {
    this.method = method;
    return this;
  }

  /** Odd, 3 or more; default 11. */
  public AdaptiveRequest setBlockSize(Integer blockSize) {
    this.blockSize = blockSize;
    return this;
  }

  /** Subtracted from the weighted mean; default 2. */
  public AdaptiveRequest setC(Double c) {
    this.c = c;
    return this;
  }

  /** 0..255, default 255. */
  public AdaptiveRequest setMax(Double max) {
    this.max = max;
    return this;
  }

  /** binary (default) or binary_inv. */
  public AdaptiveRequest setType(String type) {
    this.type = type;
    return this;
  }

  public String getMethod() {
    return method;
  }

  public Integer getBlockSize() {
    return blockSize;
  }

  public Double getC() {
    return c;
  }

  public Double getMax() {
    return max;
  }

  public String getType() {
    return type;
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = super.toJson();
    JsonFields.putSet(json, "method", method);
    JsonFields.putSet(json, "blockSize", blockSize);
    JsonFields.putSet(json, "c", c);
    JsonFields.putSet(json, "max", max);
    return JsonFields.putSet(json, "type", type);
  }
}
