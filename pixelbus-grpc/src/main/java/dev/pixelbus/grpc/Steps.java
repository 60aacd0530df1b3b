package dev.pixelbus.grpc;

import dev.pixelbus.api.ImageOp;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.grpc.v1.Step;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * A call's steps as the event bus takes them: one step is that operation with its parameters
 * ({@code pixelbus.image.OP}); several are a pipeline ({@code pixelbus.image.pipeline}, {steps: [{op, ...params}]}).
 * The names are checked here only against the contract's list of names; the parameters are the image part's to
 * check, as for every other caller, so that an operation or a parameter added to its table needs nothing here.
 *
 * @param op     what is called: the one step's operation, or pipeline
 * @param params the request's parameters: the step's own, or {steps}
 */
record Steps(ImageOp op, JsonObject params) {
  /**
   * What a step's parameters may not carry: the image comes from the call (its bytes or its URL), and a path would
   * read or write a file on the server; the output encoding is the request's own field.
   */
  private static final Set<String> RESERVED = Set.of("input", "output", "format", "quality");

  static Steps of(List<Step> steps) {
    if (steps.isEmpty()) {
      throw PixelbusException.badRequest("steps is empty: give at least one, such as {op: \"grayscale\"}");
    }
    if (steps.size() == 1) {
      Step only = steps.get(0);
      return new Steps(parse(only, 0), params(only, 0));
    }
    JsonArray list = new JsonArray();
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      ImageOp op = parse(step, i);
      if (op == ImageOp.PIPELINE) {
        throw PixelbusException.badRequest("steps[" + i + "]: a pipeline is a list of steps; it cannot be one of them");
      }
      list.add(params(step, i).put("op", op.label()));
    }
    return new Steps(ImageOp.PIPELINE, new JsonObject().put("steps", list));
  }

  private static ImageOp parse(Step step, int index) {
    if (step.getOp().isEmpty()) {
      throw PixelbusException.badRequest("steps[" + index + "].op is empty: name an operation of GET /v1/ops");
    }
    try {
      return ImageOp.parse(step.getOp());
    } catch (PixelbusException e) {
      throw PixelbusException.badRequest("steps[" + index + "]: " + e.getMessage());
    }
  }

  private static JsonObject params(Step step, int index) {
    JsonObject params = StructJson.toJson(step.getParams());
    for (String name : params.fieldNames()) {
      if (RESERVED.contains(name)) {
        throw PixelbusException.badRequest("steps[" + index + "].params." + name + ": not a parameter here ("
            + (name.equals("input") || name.equals("output") ? "the image is the request's image or url, the result its reply"
            : "the output encoding is the request's format and quality") + ")");
      }
    }
    return params;
  }
}
