package dev.pixelbus.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/** A face's box in pixels: top-left corner, width and height. */
@DataObject
public class Box {
  private final int x;
  private final int y;
  private final int w;
  private final int h;

  public Box(int x, int y, int w, int h) {
    this.x = x;
    this.y = y;
    this.w = w;
    this.h = h;
  }

  public Box(JsonObject json) {
    this(json.getInteger("x", 0), json.getInteger("y", 0), json.getInteger("w", 0), json.getInteger("h", 0));
  }

  public int getX() {
    return x;
  }

  public int getY() {
    return y;
  }

  public int getW() {
    return w;
  }

  public int getH() {
    return h;
  }

  public JsonObject toJson() {
    return new JsonObject().put("x", x).put("y", y).put("w", w).put("h", h);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Box b && b.x == x && b.y == y && b.w == w && b.h == h;
  }

  @Override
  public int hashCode() {
    return ((x * 31 + y) * 31 + w) * 31 + h;
  }

  @Override
  public String toString() {
    return w + "x" + h + "+" + x + "+" + y;
  }
}
