package dev.pixelbus.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/** The rectangle of {@code w} × {@code h} pixels at ({@code x}, {@code y}): cv2's {@code im[y:y+h, x:x+w]}; outside the image is 400. */
@DataObject
public class CropRequest extends ImageOpRequest<CropRequest> {
  public CropRequest() {
  }

  public CropRequest(JsonObject json) {
    super(json);
  }

  /** 0 or more; default 0. */
  public CropRequest setX(Integer x) {
    return set("x", x);
  }

  /** 0 or more; default 0. */
  public CropRequest setY(Integer y) {
    return set("y", y);
  }

  /** Required, 1 or more. */
  public CropRequest setW(Integer w) {
    return set("w", w);
  }

  /** Required, 1 or more. */
  public CropRequest setH(Integer h) {
    return set("h", h);
  }
}
