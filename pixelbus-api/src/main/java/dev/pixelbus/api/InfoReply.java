package dev.pixelbus.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** The image as stored: size, channels, depth and the top-left pixel (BGR, as OpenCV reads it). */
@DataObject
public class InfoReply extends ImageReply {
  public InfoReply(JsonObject json) {
    super(json);
  }

  public int getChannels() {
    return fields().getInteger("channels", 0);
  }

  /** The depth of each channel: 8U, 16U, 32F, ... as OpenCV names them. */
  public String getDepth() {
    return fields().getString("depth");
  }

  /** The top-left pixel, one value per channel, blue first. */
  public List<Double> getTopLeft() {
    List<Double> values = new ArrayList<>();
    for (Object v : fields().getJsonArray("topLeft", new JsonArray())) {
      values.add(((Number) v).doubleValue());
    }
    return values;
  }
}
