package dev.pixelbus.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/** Unsharp mask: cv2.addWeighted(im, 1 + amount, cv2.GaussianBlur(im, (0, 0), sigma), -amount, 0). */
@DataObject
public class SharpenRequest extends ImageOpRequest<SharpenRequest> {
  public SharpenRequest() {
  }

  public SharpenRequest(JsonObject json) {
    super(json);
  }

  /** Above 0, at most 100; default 1.0: the size of the detail, in pixels. */
  public SharpenRequest setSigma(Double sigma) {
    return set("sigma", sigma);
  }

  /** 0 to 100; default 1.0: how much of the detail is added back. */
  public SharpenRequest setAmount(Double amount) {
    return set("amount", amount);
  }
}
