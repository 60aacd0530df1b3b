package dev.pixelbus.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.annotations.GenIgnore;
import io.vertx.core.json.JsonObject;

/** What {@code info} reads: an image file on the serving node, or the encoded image itself. */
@DataObject
public class InfoRequest {
  private String file;
  private byte[] bytes;

  public InfoRequest() {
  }

  public InfoRequest(JsonObject json) {
    file = JsonFields.inputFile(json);
    bytes = JsonFields.inputBytes(json);
  }

  /** A path, confined to the serving node's input roots. */
  public InfoRequest setFile(String file) {
    this.file = file;
    this.bytes = null;
    return this;
  }

  /** The encoded image (PNG, JPEG, WebP, BMP, TIFF, PNM). */
  @GenIgnore // a byte[] property is not in codegen's types; the JSON form is base64
  public InfoRequest setBytes(byte[] bytes) {
    this.bytes = bytes;
    this.file = null;
    return this;
  }

  public String getFile() {
    return file;
  }

  @GenIgnore
  public byte[] getBytes() {
    return bytes;
  }

  public JsonObject toJson() {
    return JsonFields.putSet(new JsonObject(), "input", JsonFields.input(file, bytes));
  }
}
