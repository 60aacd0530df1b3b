package dev.pixelbus.image.worker;

import dev.pixelbus.api.Box;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The reply side of the image contract: an {@link ImageResult} to the JSON that callers read. The
 * operations' own fields (a threshold, faces, ...) come from their findings, in the order they were found.
 */
public final class ImageReplies {
  private ImageReplies() {
  }

  public static JsonObject toJson(ImageResult r) {
    JsonObject json = new JsonObject().put("width", r.width()).put("height", r.height()).put("format", r.format())
        .put("decodeScale", r.decodeScale());
    for (Map.Entry<String, Object> field : r.steps().findings().fields().entrySet()) {
      json.put(field.getKey(), json(field.getValue()));
    }
    if (r.outputWidth() > 0) {
      json.put("outputWidth", r.outputWidth()).put("outputHeight", r.outputHeight());
    }
    if (r.output() != null) {
      json.put("output", r.output().toString());
    }
    if (r.image() != null) {
      // A byte[], not a Buffer: Vert.x's JSON codec copies a Buffer on every local send but shares a byte[].
      json.put("image", r.image());
    }
    if (r.outputFormat() != null) {
      json.put("outputFormat", r.outputFormat().label());
    }
    ImageResult.Timings t = r.timings();
    json.put("millis", round(t.total()));
    JsonObject timings = new JsonObject().put("read", t.read()).put("decode", t.decode()).put("op", t.op())
        .put("encode", t.encode()).put("write", t.write());
    if (r.pipeline()) {
      timings.put("steps", new JsonArray(new ArrayList<Object>(r.steps().stepMillis())));
    }
    json.put("timings", timings);
    return json;
  }

  /** A finding as JSON: boxes as {x, y, w, h}, lists element by element, the rest as it is. */
  private static Object json(Object value) {
    if (value instanceof Box b) {
      return b.toJson();
    }
    if (value instanceof List<?> list) {
      JsonArray a = new JsonArray();
      list.forEach(v -> a.add(json(v)));
      return a;
    }
    return value;
  }

  private static double round(double ms) {
    return Math.round(ms * 100) / 100.0;
  }
}
