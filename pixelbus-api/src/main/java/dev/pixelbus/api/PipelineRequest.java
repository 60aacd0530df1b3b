package dev.pixelbus.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.annotations.GenIgnore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Up to 16 operations on one decoded image, one after the other, and one encoding of the result. Any
 * operation can be a step, with the parameters of its own request; info and faces only as the last,
 * and then the reply is theirs (JSON; faces draws only when its step says {@code draw: true}).
 *
 * <pre>{@code
 * new PipelineRequest().setBytes(jpeg)
 *     .addStep(ImageOp.GRAYSCALE)
 *     .addStep(ImageOp.RESIZE, new JsonObject().put("width", 800))
 *     .addStep(ImageOp.THRESHOLD, new JsonObject().put("value", 127));
 * }</pre>
 */
@DataObject
public class PipelineRequest extends ImageOpRequest<PipelineRequest> {
  public PipelineRequest() {
  }

  public PipelineRequest(JsonObject json) {
    super(json);
  }

  /** The steps as the contract has them: [{op, ...params}, ...]. */
  public PipelineRequest setSteps(JsonArray steps) {
    return set("steps", steps == null ? null : steps.copy());
  }

  /** Appends a step without parameters. */
  @GenIgnore
  public PipelineRequest addStep(ImageOp op) {
    return addStep(op, new JsonObject());
  }

  /** Appends a step: the op and its parameters, as in the op's own request (without input and output). */
  @GenIgnore
  public PipelineRequest addStep(ImageOp op, JsonObject params) {
    JsonArray steps = fields().getJsonArray("steps");
    if (steps == null) {
      steps = new JsonArray();
      set("steps", steps);
    }
    steps.add(new JsonObject().put("op", op.label()).mergeIn(params));
    return this;
  }
}
