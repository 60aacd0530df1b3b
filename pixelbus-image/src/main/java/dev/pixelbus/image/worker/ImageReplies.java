package dev.pixelbus.image.worker;

import dev.pixelbus.api.Box;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The reply side of the image contract: an {@link ImageResult} to the JSON that callers read. */
public final class ImageReplies {
  private ImageReplies() {
  }

  public static JsonObject toJson(ImageResult r) {
    JsonObject json = new JsonObject().put("width", r.width()).put("height", r.height()).put("format", r.format());
    if (r.info() != null) {
      JsonArray topLeft = new JsonArray();
      for (double v : r.info().topLeft()) {
        topLeft.add(v == Math.rint(v) ? (Object) (long) v : (Object) v);
      }
      json.put("channels", r.info().channels()).put("depth", r.info().depth()).put("topLeft", topLeft);
    }
    if (r.threshold() != null) {
      json.put("threshold", r.threshold());
    }
    if (r.faces() != null) {
      JsonArray faces = new JsonArray();
      for (Box f : r.faces()) {
        faces.add(f.toJson());
      }
      json.put("faces", faces);
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
    json.put("timings", new JsonObject().put("read", t.read()).put("decode", t.decode()).put("op", t.op())
        .put("encode", t.encode()).put("write", t.write()));
    return json;
  }

  private static double round(double ms) {
    return Math.round(ms * 100) / 100.0;
  }
}
