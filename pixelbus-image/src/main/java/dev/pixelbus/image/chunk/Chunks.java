package dev.pixelbus.image.chunk;

import dev.pixelbus.api.ImageOp;
import dev.pixelbus.image.ops.OutputFormat;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The JSON of a batch chunk, in one place for the batch, the carrier and the workers: the request's
 * header {op, params, format?, quality?, files}, and the reply
 * {done, failed: [{file, code, message}], timings: {read, decode, op, encode, write}} in milliseconds.
 */
public final class Chunks {
  /** The steps of a file's job, in the order of the worker's ImageResult.Timings.steps(). */
  public static final String[] STEPS = {"read", "decode", "op", "encode", "write"};

  private Chunks() {
  }

  /** What every chunk of a batch repeats: {op, params, format?, quality?}. */
  public static JsonObject template(ImageOp op, JsonObject params, OutputFormat format, Integer quality) {
    JsonObject body = new JsonObject().put("op", op.label()).put("params", params);
    if (format != null) {
      body.put("format", format.label());
    }
    if (quality != null) {
      body.put("quality", quality);
    }
    return body;
  }

  /** A chunk's header: the batch's {@link #template} and the chunk's files. */
  public static JsonObject header(JsonObject template, List<String> files) {
    // A shallow copy: the params are not changed on the way, and are shared by every chunk.
    return new JsonObject(new LinkedHashMap<>(template.getMap())).put("files", new JsonArray(new ArrayList<>(files)));
  }

  public static JsonObject failure(String file, int code, String message) {
    return new JsonObject().put("file", file).put("code", code).put("message", message);
  }

  /** @param stepMs milliseconds per step, in the order of {@link #STEPS} */
  public static JsonObject reply(int done, JsonArray failed, double[] stepMs) {
    return new JsonObject().put("done", done).put("failed", failed).put("timings", timings(stepMs));
  }

  /** A reply for files that failed before any worker saw them; {@code readMs} went into reading them. */
  public static JsonObject failedOnly(JsonArray failed, double readMs) {
    double[] steps = new double[STEPS.length];
    steps[0] = readMs; // "read"
    return reply(0, failed, steps);
  }

  public static JsonObject timings(double[] stepMs) {
    JsonObject t = new JsonObject();
    for (int i = 0; i < STEPS.length; i++) {
      t.put(STEPS[i], stepMs[i]);
    }
    return t;
  }

  /** Adds a reply's timings to {@code sums}. */
  public static void addTimings(JsonObject reply, double[] sums) {
    JsonObject t = reply.getJsonObject("timings");
    for (int i = 0; i < STEPS.length; i++) {
      sums[i] += t.getDouble(STEPS[i]);
    }
  }
}
