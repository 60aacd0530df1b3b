package dev.pixelbus.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/** cv2.cvtColor(image, COLOR_BGR2GRAY). */
@DataObject
public class GrayscaleRequest extends ImageOpRequest<GrayscaleRequest> {
  public GrayscaleRequest() {
  }

  public GrayscaleRequest(JsonObject json) {
    super(json);
  }
}
