package dev.pixelbus.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.annotations.GenIgnore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A pipeline's result: the image (or, when the last step is info or faces, their JSON) and what the
 * steps found on the way, read as the reply of the op that found it ({@link #asThreshold()}, ...).
 */
@DataObject
public class PipelineReply extends ImageReply {
  public PipelineReply(JsonObject json) {
    super(json);
  }

  /** Milliseconds per step, in order; decode and encode are in {@link #getTimings()}, once each. */
  @GenIgnore
  public List<Double> getStepMillis() {
    List<Double> ms = new ArrayList<>();
    JsonObject timings = getTimings();
    JsonArray steps = timings == null ? null : timings.getJsonArray("steps");
    if (steps != null) {
      for (Object v : steps) {
        ms.add(((Number) v).doubleValue());
      }
    }
    return ms;
  }

  /** The threshold a threshold step used. */
  @GenIgnore
  public ThresholdReply asThreshold() {
    return new ThresholdReply(fields());
  }

  /** The faces of a last faces step. */
  @GenIgnore
  public FacesReply asFaces() {
    return new FacesReply(fields());
  }

  /** The face and crop of a facecrop step. */
  @GenIgnore
  public FaceCropReply asFaceCrop() {
    return new FaceCropReply(fields());
  }

  /** What a last info step saw. */
  @GenIgnore
  public InfoReply asInfo() {
    return new InfoReply(fields());
  }
}
