package dev.pixelbus.image.codec;

import dev.pixelbus.api.PixelbusException;
import java.util.Locale;

/** Which codec reads and writes JPEG ({@code image.jpegCodec}); every other format is OpenCV's. */
public enum JpegCodec {
  /** The system's libjpeg-turbo when it loads (Debian's libturbojpeg0), else OpenCV's own. */
  AUTO,
  /** OpenCV's built-in libjpeg-turbo (openpnp's build: without SIMD). */
  OPENCV,
  /** The system's libjpeg-turbo, or no start: for a deployment that counts on its speed. */
  TURBOJPEG;

  public static JpegCodec parse(String value) {
    for (JpegCodec c : values()) {
      if (c.name().equalsIgnoreCase(value)) {
        return c;
      }
    }
    throw PixelbusException.badRequest("image.jpegCodec must be auto, opencv or turbojpeg, not '" + value + "'");
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
