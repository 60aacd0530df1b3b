package dev.pixelbus.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/** cv2.adaptiveThreshold(gray, max, method, type, blockSize, c); the defaults are the course's, gaussian 11/2. */
@DataObject
public class AdaptiveRequest extends ImageOpRequest<AdaptiveRequest> {
  public AdaptiveRequest() {
  }

  public AdaptiveRequest(JsonObject json) {
    super(json);
  }

  /** mean or gaussian (default). */
  public AdaptiveRequest setMethod(String method) {
    return set("method", method);
  }

  /** Odd, 3 or more; default 11. */
  public AdaptiveRequest setBlockSize(Integer blockSize) {
    return set("blockSize", blockSize);
  }

  /** Subtracted from the weighted mean; default 2. */
  public AdaptiveRequest setC(Double c) {
    return set("c", c);
  }

  /** 0..255, default 255. */
  public AdaptiveRequest setMax(Double max) {
    return set("max", max);
  }

  /** binary (default) or binary_inv. */
  public AdaptiveRequest setType(String type) {
    return set("type", type);
  }
}
