package dev.pixelbus.app.cli;

import dev.pixelbus.api.ImageOp;
import dev.pixelbus.common.Params;
import dev.pixelbus.image.ops.OutputFormat;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The operation and its parameters, as command-line options shared by batch and bench. Each option
 * maps to the event-bus parameter of the same meaning; an option left out keeps the op's default
 * (the course's: adaptive gaussian, blockSize 11, C 2).
 */
public final class OpOptions {
  @Option(names = "--op", defaultValue = "adaptive", description = "info, grayscale, threshold, adaptive, faces, resize, crop, "
      + "rotate, flip, blur, facecrop or pipeline (default: ${DEFAULT-VALUE})")
  String op;

  @Option(names = "--steps", description = "pipeline: the steps as a JSON list, [{\"op\":\"resize\",\"width\":800}, ...]")
  String stepsJson;

  @Option(names = "--step", description = "pipeline: a step, OP or OP:NAME=VALUE,... (repeat it, in order)")
  java.util.List<String> steps = new java.util.ArrayList<>();

  @Option(names = "--method", description = "adaptive: mean or gaussian")
  String method;

  @Option(names = "--block-size", description = "adaptive: odd, at least 3")
  Integer blockSize;

  @Option(names = "-c", description = "adaptive: the constant subtracted from the mean")
  Double c;

  @Option(names = "--value", description = "threshold: the threshold (127)")
  Double value;

  @Option(names = "--max", description = "threshold, adaptive: the value for pixels that pass (255)")
  Double max;

  @Option(names = "--type", description = "threshold: binary, binary_inv, trunc, tozero, tozero_inv; adaptive: binary, binary_inv")
  String type;

  @Option(names = "--otsu", description = "threshold: choose the value by Otsu's method")
  Boolean otsu;

  @Option(names = "--triangle", description = "threshold: choose the value by the triangle method")
  Boolean triangle;

  @Option(names = "--scale-factor", description = "faces: greater than 1 (1.1)")
  Double scaleFactor;

  @Option(names = "--min-neighbors", description = "faces: (3)")
  Integer minNeighbors;

  @Option(names = "--min-size", description = "faces: WxH")
  String minSize;

  @Option(names = "--max-size", description = "faces: WxH")
  String maxSize;

  @Option(names = "--no-draw", description = "faces: find the faces only, write no image")
  boolean noDraw;

  @Option(names = "--cascade", description = "faces: another Haar cascade file")
  String cascade;

  @Option(names = "--format", description = "png, jpg or webp for every output (default: keep each input's extension)")
  String format;

  @Option(names = "--quality", description = "jpg, webp: 1-100")
  Integer quality;

  @Option(names = {"-p", "--param"}, description = "any other parameter, NAME=VALUE (VALUE is JSON or text)")
  Map<String, String> extra = new LinkedHashMap<>();

  ImageOp op() {
    return ImageOp.parse(op);
  }

  OutputFormat format() {
    return format == null ? null : OutputFormat.parse(format);
  }

  /** The parameters in the event-bus contract's names. */
  JsonObject params() {
    JsonObject p = new JsonObject();
    put(p, "method", method);
    put(p, "blockSize", blockSize);
    put(p, "c", c);
    put(p, "value", value);
    put(p, "max", max);
    put(p, "type", type);
    put(p, "otsu", otsu);
    put(p, "triangle", triangle);
    put(p, "scaleFactor", scaleFactor);
    put(p, "minNeighbors", minNeighbors);
    put(p, "minSize", size(minSize));
    put(p, "maxSize", size(maxSize));
    put(p, "cascade", cascade);
    if (noDraw) {
      p.put("draw", false);
    }
    extra.forEach((k, v) -> p.put(k, Params.fromText(v)));
    if (stepsJson != null && !steps.isEmpty()) {
      throw new IllegalArgumentException("give the steps as --steps JSON or as --step options, not both");
    }
    if (stepsJson != null) {
      p.put("steps", Params.fromText(stepsJson));
    } else if (!steps.isEmpty()) {
      p.put("steps", StepText.steps(steps));
    }
    return p;
  }

  private static void put(JsonObject p, String key, Object value) {
    if (value != null) {
      p.put(key, value);
    }
  }

  private static JsonArray size(String wxh) {
    if (wxh == null) {
      return null;
    }
    String[] parts = wxh.toLowerCase().split("x");
    if (parts.length != 2) {
      throw new IllegalArgumentException("a size is WxH, such as 30x30, not " + wxh);
    }
    return new JsonArray().add(Integer.parseInt(parts[0].trim())).add(Integer.parseInt(parts[1].trim()));
  }

}
