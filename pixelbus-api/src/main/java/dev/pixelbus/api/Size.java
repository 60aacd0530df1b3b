package dev.pixelbus.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/** A width and a height in pixels. */
@DataObject
public class Size {
  private final int width;
  private final int height;

  public Size(int width, int height) {
    this.width = width;
    this.height = height;
  }

  public Size(JsonObject json) {
    this(json.getInteger("width", 0), json.getInteger("height", 0));
  }

  public int getWidth() {
    return width;
  }

  public int getHeight() {
    return height;
  }

  public JsonObject toJson() {
    return new JsonObject().put("width", width).put("height", height);
  }
}
