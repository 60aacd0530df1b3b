package dev.pixelbus.api;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The names of the image operations in the contract: an address for each, and a method of
 * {@link ImageService}. What each one takes, does and answers is its unit in the image module's table
 * ({@code dev.pixelbus.image.ops.Operations}), published as {@code GET /v1/ops} and on
 * {@link Addresses#IMAGE_OPS}; that table holds exactly one operation per name here but
 * {@link #PIPELINE}, which is a list of them.
 */
public enum ImageOp {
  INFO, GRAYSCALE, THRESHOLD, ADAPTIVE, FACES, RESIZE, CROP, ROTATE, FLIP, BLUR, SHARPEN, FACECROP,
  /** Several of the others on one decoded image: {@code {input, steps: [{op, ...params}, ...]}}. */
  PIPELINE;

  private static final List<String> LABELS = Arrays.stream(values()).map(ImageOp::label).toList();

  /** The name in addresses, routes and batch requests: {@code threshold}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The address that serves it: {@code pixelbus.image.threshold}. */
  public String address() {
    return Addresses.IMAGE + label();
  }

  /** Every operation's label, in order. */
  public static List<String> labels() {
    return LABELS;
  }

  /** The operation of a label; 400 for any other name. */
  public static ImageOp parse(String name) {
    for (ImageOp op : values()) {
      if (op.label().equals(name)) {
        return op;
      }
    }
    throw PixelbusException.badRequest("unknown op '" + name + "': use one of " + LABELS);
  }
}
