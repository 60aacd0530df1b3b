package dev.pixelbus.api;

import io.vertx.core.json.JsonObject;

/** A width and a height in pixels ({width, height} in JSON). */
public record Size(int width, int height) {
  public JsonObject toJson() {
    return new JsonObject().put("width", width).put("height", height);
  }
}
