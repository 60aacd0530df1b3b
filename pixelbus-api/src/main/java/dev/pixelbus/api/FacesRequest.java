package dev.pixelbus.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.annotations.GenIgnore;
import io.vertx.core.json.JsonObject;

/**
 * CascadeClassifier.detectMultiScale(gray, scaleFactor, minNeighbors, 0, minSize, maxSize); the
 * defaults are OpenCV's (1.1, 3, no size limits). The result image has the boxes drawn unless
 * {@code draw} is false.
 */
@DataObject
public class FacesRequest extends ImageOpRequest<FacesRequest> {
  public FacesRequest() {
  }

  public FacesRequest(JsonObject json) {
    super(json);
  }

  /** Greater than 1; default 1.1. */
  public FacesRequest setScaleFactor(Double scaleFactor) {
    return set("scaleFactor", scaleFactor);
  }

  /** 0 or more; default 3. */
  public FacesRequest setMinNeighbors(Integer minNeighbors) {
    return set("minNeighbors", minNeighbors);
  }

  /** The smallest face looked for; default none. */
  @GenIgnore // Size is a record, not a codegen data object
  public FacesRequest setMinSize(Size minSize) {
    return set("minSize", minSize == null ? null : minSize.toJson());
  }

  /** The largest face looked for; default none. */
  @GenIgnore
  public FacesRequest setMaxSize(Size maxSize) {
    return set("maxSize", maxSize == null ? null : maxSize.toJson());
  }

  /** Whether the result image has the boxes drawn (default true). */
  public FacesRequest setDraw(Boolean draw) {
    return set("draw", draw);
  }

  /** A Haar cascade file under the input roots; default the configured one (frontal faces). */
  public FacesRequest setCascade(String cascade) {
    return set("cascade", cascade);
  }
}
