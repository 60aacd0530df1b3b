package dev.pixelbus.api;

import io.vertx.core.json.JsonObject;

/** A face's box in pixels: the top-left corner, the width and the height ({x, y, w, h} in JSON). */
public record Box(int x, int y, int w, int h) {
  public static Box fromJson(JsonObject json) {
    return new Box(json.getInteger("x", 0), json.getInteger("y", 0), json.getInteger("w", 0), json.getInteger("h", 0));
  }

  public JsonObject toJson() {
    return new JsonObject().put("x", x).put("y", y).put("w", w).put("h", h);
  }
}
