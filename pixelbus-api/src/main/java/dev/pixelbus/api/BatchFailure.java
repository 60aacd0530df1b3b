package dev.pixelbus.api;

import io.vertx.core.json.JsonObject;

/** One file of a batch that failed, with the contract's code: the other files went on. */
public record BatchFailure(String file, int code, String message) {
  public static BatchFailure fromJson(JsonObject json) {
    return new BatchFailure(json.getString("file"), json.getInteger("code", ErrorCode.INTERNAL.code),
        json.getString("message"));
  }

  public JsonObject toJson() {
    return new JsonObject().put("file", file).put("code", code).put("message", message);
  }
}
