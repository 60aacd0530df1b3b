package dev.pixelbus.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/** cv2.rotate by 90, 180 or 270 degrees clockwise. */
@DataObject
public class RotateRequest extends ImageOpRequest<RotateRequest> {
  public RotateRequest() {
  }

  public RotateRequest(JsonObject json) {
    super(json);
  }

  /** Required: 90, 180 or 270. */
  public RotateRequest setAngle(Integer angle) {
    return set("angle", angle);
  }
}
