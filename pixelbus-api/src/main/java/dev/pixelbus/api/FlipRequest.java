package dev.pixelbus.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/** cv2.flip: h mirrors left to right, v top to bottom, both does both. */
@DataObject
public class FlipRequest extends ImageOpRequest<FlipRequest> {
  public FlipRequest() {
  }

  public FlipRequest(JsonObject json) {
    super(json);
  }

  /** Required: h, v or both. */
  public FlipRequest setAxis(String axis) {
    return set("axis", axis);
  }
}
