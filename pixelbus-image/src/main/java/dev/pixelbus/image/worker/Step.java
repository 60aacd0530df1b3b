package dev.pixelbus.image.worker;

import dev.pixelbus.image.ops.OpContext;
import dev.pixelbus.image.ops.Operation;
import org.opencv.core.Mat;

/**
 * One operation of a job with its checked parameters: a request to an op's own address is a job of one
 * step; a pipeline is up to {@link ImageRequests#MAX_STEPS} of them, run on one decoded image. The spec's
 * type is the operation's own, so nothing is cast.
 *
 * @param index its place in the pipeline, from 0 (named in its errors)
 */
public record Step<S>(int index, Operation<S> operation, S spec) {
  /** The new image, or {@code image} itself when the step makes none. */
  Mat apply(Mat image, OpContext context) {
    return operation.apply(image, spec, context);
  }

  /** Whether the job ends in an image to encode when this is its last step. */
  boolean makesImage() {
    return operation.makesImage(spec);
  }

  /** See {@link Operation#leastDecodedSize}. */
  int[] leastDecodedSize(int w, int h) {
    return operation.leastDecodedSize(spec, w, h);
  }

  /** See {@link Operation#scaleFreeSize}. */
  int[] scaleFreeSize(int w, int h) {
    return operation.scaleFreeSize(spec, w, h);
  }

  /** The op's name. */
  public String label() {
    return operation.label();
  }

  /** How a pipeline's messages name it: {@code step 2 (resize)}. */
  public String name() {
    return name(index, label());
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
