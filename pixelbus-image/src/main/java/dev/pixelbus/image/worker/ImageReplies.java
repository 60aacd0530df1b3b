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
    Findings f = r.findings();
    if (f.info() != null) {
      JsonArray topLeft = new JsonArray();
      for (double v : f.info().topLeft()) {
        topLeft.add(v == Math.rint(v) ? (Object) (long) v : (Object) v);
      }
      json.put("channels", f.info().channels()).put("depth", f.info().depth()).put("topLeft", topLeft);
      if (f.pipeline()) {
        // After a pipeline's steps the image is no longer the input: say what info saw.
        json.put("infoWidth", f.info().width()).put("infoHeight", f.info().height());
      }
    }
    if (f.threshold() != null) {
      json.put("threshold", f.threshold());
    }
    if (f.faces() != null) {
      JsonArray faces = new JsonArray();
      for (Box b : f.faces()) {
        faces.add(b.toJson());
      }
      json.put("faces", faces);
    }
    if (f.crop() != null) {
      json.put("crop", f.crop().toJson());
      if (f.centred()) {
        json.put("fallback", "center");
      } else {
        json.put("face", f.face().toJson());
      }
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
    if (f.pipeline()) {
      timings.put("steps", new JsonArray(new java.util.ArrayList<Object>(f.stepMillis())));
    }
    json.put("timings", timings);
    return json;
  }

  private static double round(double ms) {
    return Math.round(ms * 100) / 100.0;
  }
}
