package dev.pixelbus.api;

import io.vertx.codegen.annotations.GenIgnore;
import io.vertx.core.json.JsonObject;

/**
 * What every image request starts from, the contract's {@code input}: a path on the serving node
 * ({@code "ship.jpg"}), or the encoded image itself ({@code {"bytes": BASE64}}).
 *
 * @param <T> the request's own type, so that the setters chain
 */
public abstract class ImageInput<T extends ImageInput<T>> extends JsonBacked<T> {
  protected ImageInput() {
  }

  protected ImageInput(JsonObject json) {
    super(json);
  }

  /** A path, confined to the serving node's input roots. */
  public T setFile(String file) {
    return set("input", file);
  }

  /** The encoded image (PNG, JPEG, WebP, BMP, TIFF, PNM). */
  @GenIgnore // a byte[] property is not among codegen's types; in JSON it is base64
  public T setBytes(byte[] bytes) {
    return set("input", bytes == null ? null : new JsonObject().put("bytes", bytes));
  }
}
