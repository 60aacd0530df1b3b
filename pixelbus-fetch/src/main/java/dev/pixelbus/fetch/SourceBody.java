package dev.pixelbus.fetch;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;

/**
 * A source fetched into memory: its status (200, or 304 for a cached copy still good), its body (null for
 * 304), and the headers a cache needs: its validators and its freshness.
 */
record SourceBody(int status, Buffer body, String etag, String lastModified, String cacheControl, String expires,
                  String date, String contentType) {

  static SourceBody of(Response r, Buffer body) {
    return new SourceBody(r.status(), body, r.header(HttpHeaders.ETAG), r.header(HttpHeaders.LAST_MODIFIED),
        r.header(HttpHeaders.CACHE_CONTROL), r.header(HttpHeaders.EXPIRES), r.header(HttpHeaders.DATE),
        r.header(HttpHeaders.CONTENT_TYPE));
  }

  /** The reply of {@code pixelbus.fetch.source}; absent headers are left out. */
  JsonObject toJson(long millis) {
    JsonObject json = new JsonObject().put("status", status).put("millis", millis);
    put(json, "body", body);
    put(json, "etag", etag);
    put(json, "lastModified", lastModified);
    put(json, "cacheControl", cacheControl);
    put(json, "expires", expires);
    put(json, "date", date);
    put(json, "contentType", contentType);
    return json;
  }

  private static void put(JsonObject json, String key, Object value) {
    if (value != null) {
      json.put(key, value);
    }
  }
}
