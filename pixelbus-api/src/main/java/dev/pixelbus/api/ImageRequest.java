package dev.pixelbus.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Builds the JSON body of an image request for Java callers:
 * {@code ImageRequest.file("in/ship.jpg").output("ship.png").param("blockSize", 15)}.
 */
public final class ImageRequest {
  private final JsonObject json = new JsonObject();

  private ImageRequest(Object input) {
    json.put("input", input);
  }

  /** An image file, confined to the configured input roots. */
  public static ImageRequest file(String path) {
    return new ImageRequest(path);
  }

  /** The encoded image itself (base64 when the body crosses to JSON). */
  public static ImageRequest bytes(Buffer encoded) {
    return new ImageRequest(new JsonObject().put("bytes", encoded));
  }

  /** Write the result to this path under the output root; without it the reply carries the image. */
  public ImageRequest output(String path) {
    json.put("output", path);
    return this;
  }

  /** png, jpg or webp: the reply image's encoding when there is no output path. */
  public ImageRequest format(String format) {
    json.put("format", format);
    return this;
  }

  public ImageRequest quality(int quality) {
    json.put("quality", quality);
    return this;
  }

  /** Any operation parameter, by its contract name (value, type, blockSize, scaleFactor, ...). */
  public ImageRequest param(String name, Object value) {
    json.put(name, value instanceof int[] a ? new JsonArray().add(a[0]).add(a[1]) : value);
    return this;
  }

  public JsonObject toJson() {
    return json.copy();
  }
}
