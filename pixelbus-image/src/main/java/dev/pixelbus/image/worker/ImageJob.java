package dev.pixelbus.image.worker;

import dev.pixelbus.api.ImageOp;
import dev.pixelbus.image.ops.OutputFormat;
import java.util.List;

/**
 * One validated request for the image workers.
 *
 * @param output  a path under the output root, or null to return the encoded image
 * @param format  the output encoding (from the output's extension, {@code format}, or png)
 * @param quality 1..100 for jpg and webp, or null for OpenCV's default
 * @param op      the address's op: one of the steps', or {@link ImageOp#PIPELINE}
 * @param steps   what runs on the decoded image, in order: one step, or a pipeline's
 * @param shrinkOnLoad whether a JPEG may be decoded at a fraction of its size when the steps shrink it
 */
public record ImageJob(ImageOp op, Input input, String output, OutputFormat format, Integer quality, List<Step<?>> steps,
                       boolean shrinkOnLoad) {
  public ImageJob {
    steps = List.copyOf(steps);
  }

  /** A job that may decode smaller (the default). */
  public ImageJob(ImageOp op, Input input, String output, OutputFormat format, Integer quality, List<Step<?>> steps) {
    this(op, input, output, format, quality, steps, true);
  }

  /** Whether the request was a pipeline (of any length), whose steps are named in its messages and timed. */
  public boolean pipeline() {
    return op == ImageOp.PIPELINE;
  }

  /** The step whose reply the job gives: info and faces answer JSON, and can only be last. */
  public Step<?> last() {
    return steps.get(steps.size() - 1);
  }

  /** Whether the job ends in an image to encode (not info, not faces without drawing). */
  public boolean makesImage() {
    return last().makesImage();
  }

  /** Whether the image is read as stored: info alone does, every other job works on the 3 channels cv2.imread gives. */
  public boolean readsAsStored() {
    return steps.size() == 1 && last().operation().readsAsStored();
  }

  /** Where the encoded image comes from. */
  public sealed interface Input permits FileInput, BytesInput {
  }

  /** A path, confined to the input roots when the job runs. */
  public record FileInput(String path) implements Input {
  }

  /** The encoded image itself. */
  public record BytesInput(byte[] data) implements Input {
  }
}
