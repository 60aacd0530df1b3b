package dev.pixelbus.api;

import io.vertx.core.json.JsonObject;

/**
 * What every operation that makes an image takes beside its input: where the result goes. Without an
 * output path the reply carries the encoded result ({@link ImageReply#getImage()}).
 *
 * @param <T> the request's own type, so that the setters chain
 */
public abstract class ImageOpRequest<T extends ImageOpRequest<T>> extends ImageInput<T> {
  protected ImageOpRequest() {
  }

  protected ImageOpRequest(JsonObject json) {
    super(json);
  }

  /** A path under the serving node's output root; its extension chooses the format. */
  public T setOutput(String output) {
    return set("output", output);
  }

  /** png, jpg or webp: the encoding of the result (default png, or the output's extension). */
  public T setFormat(String format) {
    return set("format", format);
  }

  /** 1..100 for jpg and webp (101: lossless webp); OpenCV's default when not set. */
  public T setQuality(Integer quality) {
    return set("quality", quality);
  }
}
