package dev.pixelbus.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.annotations.GenIgnore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** The faces found, and the image with their boxes drawn (unless {@code draw} was false). */
@DataObject
public class FacesReply extends ImageReply {
  public FacesReply(JsonObject json) {
    super(json);
  }

  @GenIgnore // Box is a record, not a codegen data object; in JSON each face is {x, y, w, h}
  public List<Box> getFaces() {
    List<Box> boxes = new ArrayList<>();
    for (Object f : fields().getJsonArray("faces", new JsonArray())) {
      boxes.add(Box.fromJson((JsonObject) f));
    }
    return boxes;
  }
}
