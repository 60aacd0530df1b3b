package dev.pixelbus.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.annotations.GenIgnore;
import io.vertx.core.json.JsonObject;

/**
 * What an operation made: the input's size and format, and the result, written to {@link #getOutput()}
 * or carried in {@link #getImage()}. The JSON is the address-per-operation reply, field for field.
 */
@DataObject
public class ImageReply extends JsonBacked<ImageReply> {
  public ImageReply(JsonObject json) {
    super(json);
  }

  /** The input's width in pixels. */
  public int getWidth() {
    return fields().getInteger("width", 0);
  }

  public int getHeight() {
    return fields().getInteger("height", 0);
  }

  /** The input's format, from its header: png, jpeg, webp, bmp, tiff, pnm. */
  public String getFormat() {
    return fields().getString("format");
  }

  /**
   * 1, or 2, 4 or 8 when the JPEG input was decoded at that fraction of its size because the steps shrink it
   * (shrink-on-load; {@code shrinkOnLoad: false} in the request decodes it whole).
   */
  public int getDecodeScale() {
    return fields().getInteger("decodeScale", 1);
  }

  /** The result's width in pixels (after a resize, a crop, a rotation), or 0 when the reply has no image. */
  public int getOutputWidth() {
    return fields().getInteger("outputWidth", 0);
  }

  public int getOutputHeight() {
    return fields().getInteger("outputHeight", 0);
  }

  /** The file written on the serving node, or null when the reply carries the image. */
  public String getOutput() {
    return fields().getString("output");
  }

  /** The encoded result when no output path was asked for, or null. */
  @GenIgnore // a byte[] property is not in codegen's types; the JSON form is base64
  public byte[] getImage() {
    return fields().getBinary("image");
  }

  /** The result's encoding (png, jpg or webp), or null when nothing was encoded. */
  public String getOutputFormat() {
    return fields().getString("outputFormat");
  }

  /** Milliseconds the worker spent on the job. */
  public double getMillis() {
    return fields().getDouble("millis", 0.0);
  }

  /** Milliseconds per step: read, decode, op, encode, write. */
  public JsonObject getTimings() {
    return fields().getJsonObject("timings");
  }

}
