package dev.pixelbus.api;

import io.vertx.core.json.JsonObject;

/** The JSON of the contract's requests and replies: a field that is not set is left out, so that its default applies. */
final class JsonFields {
  private JsonFields() {
  }

  static JsonObject putSet(JsonObject json, String key, Object value) {
    if (value != null) {
      json.put(key, value);
    }
    return json;
  }

  /** The contract's {@code input}: a path, or {"bytes": ...}. */
  static Object input(String file, byte[] bytes) {
    return file != null ? file : bytes != null ? new JsonObject().put("bytes", bytes) : null;
  }

  static String inputFile(JsonObject json) {
    return json.getValue("input") instanceof String path ? path : null;
  }

  static byte[] inputBytes(JsonObject json) {
    return json.getValue("input") instanceof JsonObject o ? o.getBinary("bytes") : null;
  }
}
