package dev.pixelbus.api;

import io.vertx.codegen.annotations.GenIgnore;
import io.vertx.core.json.JsonObject;

/**
 * What every operation that makes an image takes: where the image comes from, and where the result
 * goes. Without an output path the reply carries the encoded result ({@link ImageReply#getImage()}).
 *
 * @param <T> the request's own type, so that the setters chain
 */
public abstract class ImageOpRequest<T extends ImageOpRequest<T>> {
  private String file;
  private byte[] bytes;
  private String output;
  private String format;
  private Integer quality;

  protected ImageOpRequest() {
  }

  protected ImageOpRequest(JsonObject json) {
    file = JsonFields.inputFile(json);
    bytes = JsonFields.inputBytes(json);
    output = json.getString("output");
    format = json.getString("format");
    quality = json.getInteger("quality");
  }

  /** A path, confined to the serving node's input roots. */
  public T setFile(String file) {
    this.file = file;
    this.bytes = null;
    return self();
  }

  /** The encoded image (PNG, JPEG, WebP, BMP, TIFF, PNM). */
  @GenIgnore // a byte[] property is not in codegen's types; the JSON form is base64
  public T setBytes(byte[] bytes) {
    this.bytes = bytes;
    this.file = null;
    return self();
  }

  /** A path under the serving node's output root; its extension chooses the format. */
  public T setOutput(String output) {
    this.output = output;
    return self();
  }

  /** png, jpg or webp: the encoding of the result (default png, or the output's extension). */
  public T setFormat(String format) {
    this.format = format;
    return self();
  }

  /** 1..100 for jpg and webp (101: lossless webp); OpenCV's default when not set. */
  public T setQuality(Integer quality) {
    this.quality = quality;
    return self();
  }

  public String getFile() {
    return file;
  }

  @GenIgnore
  public byte[] getBytes() {
    return bytes;
  }

  public String getOutput() {
    return output;
  }

  public String getFormat() {
    return format;
  }

  public Integer getQuality() {
    return quality;
  }

  public JsonObject toJson() {
    JsonObject json = JsonFields.putSet(new JsonObject(), "input", JsonFields.input(file, bytes));
    JsonFields.putSet(json, "output", output);
    JsonFields.putSet(json, "format", format);
    return JsonFields.putSet(json, "quality", quality);
  }

  @SuppressWarnings("unchecked")
  private T self() {
    return (T) this;
  }
}
