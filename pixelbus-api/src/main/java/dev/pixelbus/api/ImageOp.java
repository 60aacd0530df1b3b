package dev.pixelbus.api;

import java.util.Arrays;
import java.util.Locale;

/** The operations the image workers run; the name is the last segment of the address. */
public enum ImageOp {
  INFO, GRAYSCALE, THRESHOLD, ADAPTIVE, FACES;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ImageOp parse(String name) {
    for (ImageOp op : values()) {
      if (op.label().equals(name)) {
        return op;
      }
    }
    throw PixelbusException.badRequest("unknown op '" + name + "': use one of "
        + Arrays.stream(values()).map(ImageOp::label).toList());
  }
}
