package dev.pixelbus.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/**
 * cv2.resize to {@code width} and/or {@code height} (a side left out keeps the aspect ratio, rounded half
 * up), or by {@code scale}. With both sides {@code fit} says how: inside (default), cover, fill. The
 * interpolation defaults to INTER_AREA when the result is smaller and INTER_LINEAR otherwise.
 */
@DataObject
public class ResizeRequest extends ImageOpRequest<ResizeRequest> {
  public ResizeRequest() {
  }

  public ResizeRequest(JsonObject json) {
    super(json);
  }

  /** 1 to 65536 pixels. */
  public ResizeRequest setWidth(Integer width) {
    return set("width", width);
  }

  public ResizeRequest setHeight(Integer height) {
    return set("height", height);
  }

  /** Instead of a size: above 0 and at most 64. */
  public ResizeRequest setScale(Double scale) {
    return set("scale", scale);
  }

  /** inside: within the box; cover: covers it, then cropped around the centre; fill: exactly the box. */
  public ResizeRequest setFit(String fit) {
    return set("fit", fit);
  }

  /** auto (default), nearest, linear, cubic, area or lanczos. */
  public ResizeRequest setInterpolation(String interpolation) {
    return set("interpolation", interpolation);
  }
}
