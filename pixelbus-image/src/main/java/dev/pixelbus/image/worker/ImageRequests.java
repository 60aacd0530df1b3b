package dev.pixelbus.image.worker;

import dev.pixelbus.api.ImageOp;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.common.Params;
import dev.pixelbus.image.ops.OutputFormat;
import dev.pixelbus.image.ops.Specs;
import dev.pixelbus.image.ops.ThresholdType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The request side of the image contract: a JSON body to a validated {@link ImageJob}. Every step of a
 * pipeline is checked here, before any work starts.
 */
public final class ImageRequests {
  /** The most steps a pipeline may have. */
  public static final int MAX_STEPS = 16;
  private static final List<String> STEP_OPS = ImageOp.labels().stream().filter(l -> !l.equals("pipeline")).toList();

  private ImageRequests() {
  }

  public static ImageJob parse(ImageOp op, JsonObject body) {
    Params p = new Params(body, op.label());
    ImageJob.Input input = input(p);
    String output = null;
    OutputFormat format = null;
    Integer quality = null;
    if (op != ImageOp.INFO) {
      output = p.string("output", null);
      String formatName = p.string("format", null);
      format = output != null ? OutputFormat.ofFileName(output) : OutputFormat.PNG;
      if (formatName != null) {
        OutputFormat asked = OutputFormat.parse(formatName);
        if (output != null && asked != format) {
          throw PixelbusException.badRequest("format " + formatName + " contradicts the extension of output " + output);
        }
        format = asked;
      }
      quality = p.optionalInteger("quality");
      // OpenCV's convention: a WebP quality above 100 means lossless.
      int maxQuality = format == OutputFormat.WEBP ? 101 : 100;
      if (quality != null && (quality < 1 || quality > maxQuality)) {
        throw p.bad("quality", "must be between 1 and " + maxQuality + (maxQuality > 100 ? " (101: lossless)" : "")
            + ", not " + quality);
      }
    }
    List<Step> steps = op == ImageOp.PIPELINE ? steps(p.raw("steps")) : List.of(new Step(0, op, spec(op, p, true)));
    p.rejectUnknown();
    return new ImageJob(op, input, output, format, quality, steps);
  }

  /**
   * A pipeline's steps: a list of {op, ...params} (or of op names, for steps without parameters), or that
   * list as JSON text. A bad step is 400 naming its index and op.
   */
  public static List<Step> steps(Object value) {
    Object v = value instanceof String text ? Params.fromText(text) : value;
    if (!(v instanceof JsonArray list) || list.isEmpty()) {
      throw PixelbusException.badRequest("steps must be a list of 1 to " + MAX_STEPS + " steps, each {\"op\": NAME, ...params}"
          + (v == null ? "; it is missing" : ""));
    }
    if (list.size() > MAX_STEPS) {
      throw PixelbusException.badRequest("a pipeline has at most " + MAX_STEPS + " steps, not " + list.size());
    }
    List<Step> steps = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      steps.add(step(i, list.getValue(i), i == list.size() - 1));
    }
    return steps;
  }

  private static Step step(int index, Object value, boolean last) {
    JsonObject o = value instanceof String name ? new JsonObject().put("op", name)
        : value instanceof JsonObject object ? object.copy() : null;
    if (o == null || !(o.getValue("op") instanceof String name)) {
      throw PixelbusException.badRequest("step " + index + " must be {\"op\": NAME, ...params}, not " + value);
    }
    o.remove("op");
    ImageOp op;
    try {
      op = ImageOp.parse(name);
    } catch (PixelbusException e) {
      throw PixelbusException.badRequest(Step.name(index, name) + ": unknown op '" + name + "': a step is one of " + STEP_OPS);
    }
    Step where = new Step(index, op, null);
    if (op == ImageOp.PIPELINE) {
      throw PixelbusException.badRequest(where.where() + "a pipeline cannot be a step; list its steps instead");
    }
    if (op.answersJson() && !last) {
      throw PixelbusException.badRequest(where.where() + op.label() + " answers JSON, so it can only be the last step");
    }
    try {
      Params p = new Params(o, where.name());
      // A pipeline's faces answers JSON unless told to draw.
      Object spec = spec(op, p, false);
      p.rejectUnknown();
      return new Step(index, op, spec);
    } catch (PixelbusException e) {
      throw new PixelbusException(e.failureCode(), where.where() + e.getMessage());
    }
  }

  private static Object spec(ImageOp op, Params p, boolean draw) {
    return switch (op) {
      case THRESHOLD -> threshold(p);
      case ADAPTIVE -> adaptive(p);
      case FACES -> faces(p, draw);
      case RESIZE -> resize(p);
      case CROP -> new Specs.Crop(p.integer("x", 0), p.integer("y", 0), required(p, "w", "crop"), required(p, "h", "crop"));
      case ROTATE -> new Specs.Rotate(required(p, "angle", "rotate"));
      case FLIP -> {
        if (!p.has("axis")) {
          throw PixelbusException.badRequest("flip needs axis: h, v or both");
        }
        yield Specs.Flip.parse(p.string("axis", null));
      }
      case BLUR -> new Specs.Blur(p.integer("ksize", 5), p.number("sigma", 0));
      case FACECROP -> faceCrop(p);
      default -> null;
    };
  }

  private static int required(Params p, String key, String op) {
    if (!p.has(key)) {
      throw PixelbusException.badRequest(op + " needs " + key);
    }
    return p.integer(key, 0);
  }

  private static Specs.Resize resize(Params p) {
    Double scale = p.has("scale") ? p.number("scale", 1) : null;
    String fit = p.string("fit", null);
    String interpolation = p.string("interpolation", null);
    return new Specs.Resize(p.optionalInteger("width"), p.optionalInteger("height"), scale,
        fit == null ? null : Specs.Fit.parse(fit), interpolation == null ? null : Specs.Interpolation.parse(interpolation));
  }

  private static Specs.FaceCrop faceCrop(Params p) {
    String fallback = p.string("fallback", null);
    return new Specs.FaceCrop(detect(p, false), p.number("margin", Specs.FaceCrop.DEFAULT_MARGIN),
        p.optionalInteger("width"), p.optionalInteger("height"), fallback == null ? null : Specs.NoFace.parse(fallback));
  }

  private static ImageJob.Input input(Params p) {
    Object v = p.raw("input");
    if (v == null) {
      throw PixelbusException.badRequest("input is missing: give a path, or {\"bytes\": BASE64}");
    }
    if (v instanceof String path) {
      return new ImageJob.FileInput(path);
    }
    if (v instanceof JsonObject o && o.containsKey("bytes") && o.size() == 1) {
      return new ImageJob.BytesInput(Params.bytes(o.getValue("bytes"), "input.bytes"));
    }
    throw PixelbusException.badRequest("input must be a path or {\"bytes\": BASE64}");
  }

  private static Specs.Threshold threshold(Params p) {
    Specs.Threshold d = Specs.Threshold.DEFAULT;
    boolean otsu = p.bool("otsu", false);
    boolean triangle = p.bool("triangle", false);
    if (otsu && triangle) {
      throw PixelbusException.badRequest("otsu and triangle cannot both be true");
    }
    Specs.AutoThreshold auto = otsu ? Specs.AutoThreshold.OTSU : triangle ? Specs.AutoThreshold.TRIANGLE : Specs.AutoThreshold.NONE;
    return new Specs.Threshold(p.number("value", d.value()), p.number("max", d.max()),
        ThresholdType.parse("type", p.string("type", d.type().label())), auto);
  }

  private static Specs.Adaptive adaptive(Params p) {
    Specs.Adaptive d = Specs.Adaptive.DEFAULT;
    return new Specs.Adaptive(Specs.AdaptiveMethod.parse(p.string("method", d.method().name())),
        p.integer("blockSize", d.blockSize()), p.number("c", d.c()), p.number("max", d.max()),
        ThresholdType.parse("type", p.string("type", d.type().label())));
  }

  private static Specs.Faces faces(Params p, boolean draw) {
    return detect(p, p.bool("draw", draw));
  }

  /** detectMultiScale's parameters, as faces and facecrop take them. */
  private static Specs.Faces detect(Params p, boolean draw) {
    Specs.Faces d = Specs.Faces.DEFAULT;
    return new Specs.Faces(p.number("scaleFactor", d.scaleFactor()), p.integer("minNeighbors", d.minNeighbors()),
        size(p.size("minSize")), size(p.size("maxSize")), draw, p.string("cascade", null));
  }

  private static Specs.Size size(int[] wh) {
    return wh == null ? null : new Specs.Size(wh[0], wh[1]);
  }
}
