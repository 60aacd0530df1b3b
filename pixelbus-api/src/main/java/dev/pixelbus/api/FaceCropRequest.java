package dev.pixelbus.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/**
 * Crop to the largest face that detectMultiScale finds (its parameters as in {@link FacesRequest}),
 * grown by {@code margin} of the face's size on every side and clipped to the image; with
 * {@code width} and {@code height}, to their aspect ratio around the face and then resized to exactly
 * that. No face: 404 whose message starts with {@code faceNotFound}, or the centre with
 * {@code fallback=center}.
 */
@DataObject
public class FaceCropRequest extends FaceDetectorRequest<FaceCropRequest> {
  public FaceCropRequest() {
  }

  public FaceCropRequest(JsonObject json) {
    super(json);
  }

  /** Of the face's width and height, on every side: 0 to 10, default 0.3. */
  public FaceCropRequest setMargin(Double margin) {
    return set("margin", margin);
  }

  public FaceCropRequest setWidth(Integer width) {
    return set("width", width);
  }

  public FaceCropRequest setHeight(Integer height) {
    return set("height", height);
  }

  /** fail (default: 404 faceNotFound) or center. */
  public FaceCropRequest setFallback(String fallback) {
    return set("fallback", fallback);
  }
}
