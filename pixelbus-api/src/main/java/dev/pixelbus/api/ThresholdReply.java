package dev.pixelbus.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/** A threshold's result, and the value it used (computed by Otsu or triangle when asked). */
@DataObject
public class ThresholdReply extends ImageReply {
  public ThresholdReply(JsonObject json) {
    super(json);
  }

  public double getThreshold() {
    return fields().getDouble("threshold", 0.0);
  }
}
