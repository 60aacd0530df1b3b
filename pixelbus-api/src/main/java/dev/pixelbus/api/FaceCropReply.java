package dev.pixelbus.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.annotations.GenIgnore;
import io.vertx.core.json.JsonObject;

/** The crop around the largest face: the face found, the rectangle cut, and the image. */
@DataObject
public class FaceCropReply extends ImageReply {
  public FaceCropReply(JsonObject json) {
    super(json);
  }

  /** The largest face, in the coordinates of the image the step saw; null when it fell back to the centre. */
  @GenIgnore // Box is a record, not a codegen data object; in JSON {x, y, w, h}
  public Box getFace() {
    JsonObject face = fields().getJsonObject("face");
    return face == null ? null : Box.fromJson(face);
  }

  /** The rectangle cut (before any resize). */
  @GenIgnore
  public Box getCrop() {
    JsonObject crop = fields().getJsonObject("crop");
    return crop == null ? null : Box.fromJson(crop);
  }

  /** "center" when no face was found and the centre was cropped instead; null otherwise. */
  public String getFallback() {
    return fields().getString("fallback");
  }
}
