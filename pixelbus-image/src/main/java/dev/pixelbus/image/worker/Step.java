package dev.pixelbus.image.worker;

import dev.pixelbus.api.ImageOp;

/**
 * One operation of a job: a request to an op's own address is a job of one step; a pipeline is up to
 * {@link ImageRequests#MAX_STEPS} of them, run on one decoded image.
 *
 * @param index its place in the pipeline, from 0 (named in its errors)
 * @param spec  the op's validated parameters ({@code Specs.*}), or null for an op that has none
 */
public record Step(int index, ImageOp op, Object spec) {
  /** How a pipeline's messages name it: {@code step 2 (resize)}. */
  public String name() {
    return name(index, op.label());
  }

  /** The prefix of this step's errors in a pipeline: {@code step 2 (resize): }. */
  public String where() {
    return name() + ": ";
  }

  /** The name of the step at {@code index} whose op is {@code label}, known or not. */
  static String name(int index, String label) {
    return "step " + index + " (" + label + ")";
  }
}
