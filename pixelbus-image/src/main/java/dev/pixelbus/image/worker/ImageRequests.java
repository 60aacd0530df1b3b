package dev.pixelbus.image.worker;

import dev.pixelbus.api.ImageOp;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.common.Params;
import dev.pixelbus.image.ops.OutputFormat;
import dev.pixelbus.image.ops.Operation;
import dev.pixelbus.image.ops.Operations;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The request side of the image contract: a JSON body to a validated {@link ImageJob}. What is common to
 * every operation (input, output, format, quality) is read here; each step's own parameters by its
 * operation ({@link Operation#parse}). Every step of a pipeline is checked before any work starts.
 */
public final class ImageRequests {
  /** The most steps a pipeline may have. */
  public static final int MAX_STEPS = 16;

  private ImageRequests() {
  }

  public static ImageJob parse(ImageOp op, JsonObject body) {
    Params p = new Params(body, op.label());
    ImageJob.Input input = input(p);
    String output = null;
    OutputFormat format = null;
    Integer quality = null;
    boolean shrinkOnLoad = true;
    if (op != ImageOp.INFO) {
      shrinkOnLoad = p.bool("shrinkOnLoad", true);
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
    List<Step<?>> steps = op == ImageOp.PIPELINE ? steps(p.raw("steps")) : List.of(step(0, Operations.of(op), p, false));
    p.rejectUnknown();
    return new ImageJob(op, input, output, format, quality, steps, shrinkOnLoad);
  }

  /**
   * A pipeline's steps: a list of {op, ...params} (or of op names, for steps without parameters), or that
   * list as JSON text. A bad step is 400 naming its index and op.
   */
  public static List<Step<?>> steps(Object value) {
    Object v = value instanceof String text ? Params.fromText(text) : value;
    if (!(v instanceof JsonArray list) || list.isEmpty()) {
      throw PixelbusException.badRequest("steps must be a list of 1 to " + MAX_STEPS + " steps, each {\"op\": NAME, ...params}"
          + (v == null ? "; it is missing" : ""));
    }
    if (list.size() > MAX_STEPS) {
      throw PixelbusException.badRequest("a pipeline has at most " + MAX_STEPS + " steps, not " + list.size());
    }
    List<Step<?>> steps = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      steps.add(step(i, list.getValue(i), i == list.size() - 1));
    }
    return steps;
  }

  private static Step<?> step(int index, Object value, boolean last) {
    JsonObject o = value instanceof String name ? new JsonObject().put("op", name)
        : value instanceof JsonObject object ? object.copy() : null;
    if (o == null || !(o.getValue("op") instanceof String name)) {
      throw PixelbusException.badRequest("step " + index + " must be {\"op\": NAME, ...params}, not " + value);
    }
    o.remove("op");
    if (name.equals(ImageOp.PIPELINE.label())) {
      throw PixelbusException.badRequest(Step.name(index, name) + ": a pipeline cannot be a step; list its steps instead");
    }
    Operation<?> op;
    try {
      op = Operations.parse(name);
    } catch (PixelbusException e) {
      throw PixelbusException.badRequest(Step.name(index, name) + ": unknown op '" + name + "': a step is one of "
          + Operations.labels());
    }
    String where = Step.name(index, name);
    if (op.answersJson() && !last) {
      throw PixelbusException.badRequest(where + ": " + name + " answers JSON, so it can only be the last step");
    }
    try {
      Params p = new Params(o, where);
      // A pipeline's faces answers JSON unless told to draw.
      Step<?> step = step(index, op, p, true);
      p.rejectUnknown();
      return step;
    } catch (PixelbusException e) {
      throw new PixelbusException(e.failureCode(), where + ": " + e.getMessage());
    }
  }

  /** A step of {@code op}: its parameters parsed into its own spec type, so nothing is cast later. */
  private static <S> Step<S> step(int index, Operation<S> op, Params p, boolean pipelineStep) {
    return new Step<>(index, op, op.parse(p, pipelineStep));
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
      // The map's own value: getValue would turn a Buffer or byte[] (HTTP, Java callers) into base64 text, only for
      // it to be decoded here again (measured: a sixth of the CPU of a 2.3 MB upload's thumbnail).
      return new ImageJob.BytesInput(Params.bytes(o.getMap().get("bytes"), "input.bytes"));
    }
    throw PixelbusException.badRequest("input must be a path or {\"bytes\": BASE64}");
  }
}
