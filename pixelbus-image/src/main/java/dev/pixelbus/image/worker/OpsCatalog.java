package dev.pixelbus.image.worker;

import dev.pixelbus.api.Addresses;
import dev.pixelbus.api.ImageOp;
import dev.pixelbus.image.ops.Operations;
import dev.pixelbus.image.ops.OutputFormat;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;

/**
 * The table of operations as JSON, as {@code GET /v1/ops} and {@link Addresses#IMAGE_OPS} answer it: each
 * operation with its parameters and reply fields, the parameters every request takes, and the pipeline.
 * Pages and clients build their lists and forms from it, so they name no operation themselves.
 */
public final class OpsCatalog {
  private static final JsonObject JSON = build();

  private OpsCatalog() {
  }

  /** The table; callers may not change it (every reply shares it). */
  public static JsonObject json() {
    return JSON;
  }

  private static JsonObject build() {
    JsonArray ops = new JsonArray();
    Operations.describe().forEach(d -> ops.add(new JsonObject(d)));
    JsonArray common = new JsonArray()
        .add(param("input", "string", true, "a path under the input roots, or {\"bytes\": BASE64} (over HTTP: the body)"))
        .add(param("output", "string", false, "a path under the output root; without it the reply carries the image"))
        .add(param("format", "choice", false, "the result's encoding (default png, or the output's extension)")
            .put("choices", new JsonArray(Arrays.stream(OutputFormat.values()).map(OutputFormat::label).toList())))
        .add(param("quality", "integer", false, "1..100 for jpg and webp (101: lossless webp); OpenCV's default if absent")
            .put("min", 1).put("max", 101))
        .add(param("shrinkOnLoad", "boolean", false, "a JPEG may be decoded at 1/2, 1/4 or 1/8 of its size when the steps"
            + " shrink it (the reply's decodeScale says which); false: always the whole image, cv2's full decode")
            .put("default", true));
    JsonObject pipeline = new JsonObject().put("name", ImageOp.PIPELINE.label()).put("address", ImageOp.PIPELINE.address())
        .put("summary", "several operations on one decoded image, one encoding: {input, steps: [{op, ...params}], ...}")
        .put("maxSteps", ImageRequests.MAX_STEPS)
        .put("example", new JsonArray().add("grayscale").add(new JsonObject().put("op", "resize").put("width", 400))
            .add(new JsonObject().put("op", "threshold").put("value", 127)))
        .put("lastOnly", new JsonArray(Operations.all().stream().filter(o -> o.answersJson()).map(o -> o.label()).toList()));
    return new JsonObject().put("ops", ops).put("common", common).put("pipeline", pipeline);
  }

  private static JsonObject param(String name, String type, boolean required, String help) {
    return new JsonObject().put("name", name).put("type", type).put("required", required).put("help", help);
  }
}
