package dev.pixelbus.api;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The operations of the image workers: the one list that the addresses, the bridges' permitted
 * addresses, the HTTP routes and the typed API come from. Every one but {@link #PIPELINE} can also be
 * a step of a pipeline.
 */
public enum ImageOp {
  INFO, GRAYSCALE, THRESHOLD, ADAPTIVE, FACES, RESIZE, CROP, ROTATE, FLIP, BLUR, FACECROP,
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

  /** Whether it answers JSON about the image rather than an image: in a pipeline it can only be last. */
  public boolean answersJson() {
    return this == INFO || this == FACES;
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
