package dev.pixelbus.image;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON of a batch chunk, in one place for the batch, the carrier and the workers: the request's
 * header {op, params, format?, quality?, files}, and the reply
 * {done, failed: [{file, code, message}], timings: {read, decode, op, encode, write}} in milliseconds.
 */
final class Chunks {
  /** The steps of a file's job, in the order of {@link ImageResult.Timings#steps()}. */
  static final String[] STEPS = {"read", "decode", "op", "encode", "write"};

  private Chunks() {
  }

  static JsonObject header(BatchRunner.Spec spec, List<String> files) {
    JsonObject body = new JsonObject().put("op", spec.op().label()).put("params", spec.params())
        .put("files", new JsonArray(new ArrayList<>(files)));
    if (spec.format() != null) {
      body.put("format", spec.format().label());
    }
    if (spec.quality() != null) {
      body.put("quality", spec.quality());
    }
    return body;
  }

  static JsonObject failure(String file, int code, String message) {
    return new JsonObject().put("file", file).put("code", code).put("message", message);
  }

  /** @param stepMs milliseconds per step, in the order of {@link #STEPS} */
  static JsonObject reply(int done, JsonArray failed, double[] stepMs) {
    return new JsonObject().put("done", done).put("failed", failed).put("timings", timings(stepMs));
  }

  /** A reply for files that failed before any worker saw them; {@code readMs} went into reading them. */
  static JsonObject failedOnly(JsonArray failed, double readMs) {
    double[] steps = new double[STEPS.length];
    steps[0] = readMs; // "read"
    return reply(0, failed, steps);
  }

  static JsonObject timings(double[] stepMs) {
    JsonObject t = new JsonObject();
    for (int i = 0; i < STEPS.length; i++) {
      t.put(STEPS[i], stepMs[i]);
    }
    return t;
  }

  /** Adds a reply's timings to {@code sums}. */
  static void addTimings(JsonObject reply, double[] sums) {
    JsonObject t = reply.getJsonObject("timings");
    for (int i = 0; i < STEPS.length; i++) {
      sums[i] += t.getDouble(STEPS[i]);
    }
  }
}
