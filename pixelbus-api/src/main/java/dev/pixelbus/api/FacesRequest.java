package dev.pixelbus.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/**
 * CascadeClassifier.detectMultiScale(gray, scaleFactor, minNeighbors, 0, minSize, maxSize); the
 * defaults are OpenCV's (1.1, 3, no size limits). The result image has the boxes drawn unless
 * {@code draw} is false.
 */
@DataObject
public class FacesRequest extends FaceDetectorRequest<FacesRequest> {
  public FacesRequest() {
  }

  public FacesRequest(JsonObject json) {
    super(json);
  }

  /** Whether the result image has the boxes drawn (default true). */
  public FacesRequest setDraw(Boolean draw) {
    return set("draw", draw);
  }
}
