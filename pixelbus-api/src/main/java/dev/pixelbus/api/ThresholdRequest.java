package dev.pixelbus.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/** cv2.threshold(gray, value, max, type [+ OTSU | TRIANGLE]); the defaults are the course's, 127/255 binary. */
@DataObject
public class ThresholdRequest extends ImageOpRequest<ThresholdRequest> {
  public ThresholdRequest() {
  }

  public ThresholdRequest(JsonObject json) {
    super(json);
  }

  /** 0..255, default 127. */
  public ThresholdRequest setValue(Double value) {
    return set("value", value);
  }

  /** 0..255, default 255. */
  public ThresholdRequest setMax(Double max) {
    return set("max", max);
  }

  /** binary (default), binary_inv, trunc, tozero or tozero_inv. */
  public ThresholdRequest setType(String type) {
    return set("type", type);
  }

  /** Otsu's method chooses the value; the reply says which. */
  public ThresholdRequest setOtsu(Boolean otsu) {
    return set("otsu", otsu);
  }

  /** The triangle method chooses the value. */
  public ThresholdRequest setTriangle(Boolean triangle) {
    return set("triangle", triangle);
  }
}
