package dev.pixelbus.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/**
 * CascadeClassifier.detectMultiScale(gray, scaleFactor, minNeighbors, 0, minSize, maxSize); the
 * defaults are OpenCV's (1.1, 3, no size limits). The result image has the boxes drawn unless
 * {@code draw} is false.
 */
@DataObject
public class FacesRequest extends ImageOpRequest<FacesRequest> {
  private Double scaleFactor;
  private Integer minNeighbors;
  private Size minSize;
  private Size maxSize;
  private Boolean draw;
  private String cascade;

  public FacesRequest() {
  }

  public FacesRequest(JsonObject json) {
    super(json);
    scaleFactor = json.getDouble("scaleFactor");
    minNeighbors = json.getInteger("minNeighbors");
    minSize = json.getJsonObject("minSize") == null ? null : new Size(json.getJsonObject("minSize"));
    maxSize = json.getJsonObject("maxSize") == null ? null : new Size(json.getJsonObject("maxSize"));
    draw = json.getBoolean("draw");
    cascade = json.getString("cascade");
  }

  /** Greater than 1; default 1.1. */
  public FacesRequest setScaleFactor(Double scaleFactor) {
    this.scaleFactor = scaleFactor;
    return this;
  }

  /** 0 or more; default 3. */
  public FacesRequest setMinNeighbors(Integer minNeighbors) {
    this.minNeighbors = minNeighbors;
    return this;
  }

  public FacesRequest setMinSize(Size minSize) {
    this.minSize = minSize;
    return this;
  }

  public FacesRequest setMaxSize(Size maxSize) {
    this.maxSize = maxSize;
    return this;
  }

  /** Whether the result image has the boxes drawn (default true). */
  public FacesRequest setDraw(Boolean draw) {
    this.draw = draw;
    return this;
  }

  /** A Haar cascade file under the input roots; default the configured one (frontal faces). */
  public FacesRequest setCascade(String cascade) {
    this.cascade = cascade;
    return this;
  }

  public Double getScaleFactor() {
    return scaleFactor;
  }

  public Integer getMinNeighbors() {
    return minNeighbors;
  }

  public Size getMinSize() {
    return minSize;
  }

  public Size getMaxSize() {
    return maxSize;
  }

  public Boolean getDraw() {
    return draw;
  }

  public String getCascade() {
    return cascade;
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = super.toJson();
    JsonFields.putSet(json, "scaleFactor", scaleFactor);
    JsonFields.putSet(json, "minNeighbors", minNeighbors);
    JsonFields.putSet(json, "minSize", minSize == null ? null : minSize.toJson());
    JsonFields.putSet(json, "maxSize", maxSize == null ? null : maxSize.toJson());
    JsonFields.putSet(json, "draw", draw);
    return JsonFields.putSet(json, "cascade", cascade);
  }
}
