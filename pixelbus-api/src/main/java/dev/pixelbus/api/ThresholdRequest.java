package dev.pixelbus.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/** cv2.threshold(gray, value, max, type [+ OTSU | TRIANGLE]); the defaults are the course's, 127/255 binary. */
@DataObject
public class ThresholdRequest extends ImageOpRequest<ThresholdRequest> {
  private Double value;
  private Double max;
  private String type;
  private Boolean otsu;
  private Boolean triangle;

  public ThresholdRequest() {
  }

  public ThresholdRequest(JsonObject json) {
    super(json);
    value = json.getDouble("value");
    max = json.getDouble("max");
    type = json.getString("type");
    otsu = json.getBoolean("otsu");
    triangle = json.getBoolean("triangle");
  }

  /** 0..255, default 127. */
  public ThresholdRequest setValue(Double value) {
    this.value = value;
    return this;
  }

  /** 0..255, default 255. */
  public ThresholdRequest setMax(Double max) {
    this.max = max;
    return this;
  }

  /** binary (default), binary_inv, trunc, tozero or tozero_inv. */
  public ThresholdRequest setType(String type) {
    this.type = type;
    return this;
  }

  /** Otsu's method chooses the value; the reply says which. */
  public ThresholdRequest setOtsu(Boolean otsu) {
    this.otsu = otsu;
    return this;
  }

  /** The triangle method chooses the value. */
  public ThresholdRequest setTriangle(Boolean triangle) {
    this.triangle = triangle;
    return this;
  }

  public Double getValue() {
    return value;
  }

  public Double getMax() {
    return max;
  }

  public String getType() {
    return type;
  }

  public Boolean getOtsu() {
    return otsu;
  }

  public Boolean getTriangle() {
    return triangle;
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = super.toJson();
    JsonFields.putSet(json, "value", value);
    JsonFields.putSet(json, "max", max);
    JsonFields.putSet(json, "type", type);
    JsonFields.putSet(json, "otsu", otsu);
    return JsonFields.putSet(json, "triangle", triangle);
  }
}
