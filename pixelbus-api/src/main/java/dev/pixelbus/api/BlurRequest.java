package dev.pixelbus.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/** cv2.GaussianBlur(im, (ksize, ksize), sigma). */
@DataObject
public class BlurRequest extends ImageOpRequest<BlurRequest> {
  public BlurRequest() {
  }

  public BlurRequest(JsonObject json) {
    super(json);
  }

  /** Odd, 1 to 99; default 5. */
  public BlurRequest setKsize(Integer ksize) {
    return set("ksize", ksize);
  }

  /** 0 to 100; default 0, which lets OpenCV derive it from ksize. */
  public BlurRequest setSigma(Double sigma) {
    return set("sigma", sigma);
  }
}
