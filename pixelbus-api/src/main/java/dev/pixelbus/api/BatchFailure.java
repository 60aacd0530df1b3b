package dev.pixelbus.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/** One file of a batch that failed, with the contract's code: the other files went on. */
@DataObject
public class BatchFailure {
  private final String file;
  private final int code;
  private final String message;

  public BatchFailure(JsonObject json) {
    file = json.getString("file");
    code = json.getInteger("code", ErrorCode.INTERNAL.code);
    message = json.getString("message");
  }

  public String getFile() {
    return file;
  }

  public int getCode() {
    return code;
  }

  public String getMessage() {
    return message;
  }

  public JsonObject toJson() {
    return new JsonObject().put("file", file).put("code", code).put("message", message);
  }
}
