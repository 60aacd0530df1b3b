package dev.pixelbus.image.worker;

import dev.pixelbus.api.ImageOp;
import dev.pixelbus.image.ops.OutputFormat;
import dev.pixelbus.image.ops.Specs;

/**
 * One validated request for the image workers.
 *
 * @param output  a path under the output root, or null to return the encoded image
 * @param format  the output encoding (from the output's extension, {@code format}, or png)
 * @param quality 1..100 for jpg and webp, or null for OpenCV's default
 * @param spec    the op's parameters: a {@link Specs.Threshold}, {@link Specs.Adaptive} or {@link Specs.Faces}; null otherwise
 */
public record ImageJob(ImageOp op, Input input, String output, OutputFormat format, Integer quality, Object spec) {

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
