package dev.pixelbus.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/** What {@code info} reads: an image file on the serving node, or the encoded image itself. */
@DataObject
public class InfoRequest extends ImageInput<InfoRequest> {
  public InfoRequest() {
  }

  public InfoRequest(JsonObject json) {
    super(json);
  }
}
