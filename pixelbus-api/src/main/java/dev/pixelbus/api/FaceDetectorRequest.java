package dev.pixelbus.api;

import io.vertx.codegen.annotations.GenIgnore;
import io.vertx.core.json.JsonObject;

/**
 * The face detector's parameters, as {@code faces} and {@code facecrop} take them:
 * CascadeClassifier.detectMultiScale(gray, scaleFactor, minNeighbors, 0, minSize, maxSize), OpenCV's
 * defaults (1.1, 3, no size limits).
 *
 * @param <T> the request's own type, so that the setters chain
 */
public abstract class FaceDetectorRequest<T extends FaceDetectorRequest<T>> extends ImageOpRequest<T> {
  protected FaceDetectorRequest() {
  }

  protected FaceDetectorRequest(JsonObject json) {
    super(json);
  }

  /** Greater than 1; default 1.1. */
  public T setScaleFactor(Double scaleFactor) {
    return set("scaleFactor", scaleFactor);
  }

  /** 0 or more; default 3. */
  public T setMinNeighbors(Integer minNeighbors) {
    return set("minNeighbors", minNeighbors);
  }

  /** The smallest face looked for; default none. */
  @GenIgnore // Size is a record, not a codegen data object
  public T setMinSize(Size minSize) {
    return set("minSize", minSize == null ? null : minSize.toJson());
  }

  /** The largest face looked for; default none. */
  @GenIgnore
  public T setMaxSize(Size maxSize) {
    return set("maxSize", maxSize == null ? null : maxSize.toJson());
  }

  /** A Haar cascade file under the input roots; default the configured one (frontal faces). */
  public T setCascade(String cascade) {
    return set("cascade", cascade);
  }
}
