package dev.pixelbus.web.source;

import java.util.Locale;

/**
 * {@code format=auto}, as imgproxy and thumbor negotiate it: WebP when the request's {@code Accept} allows
 * {@code image/webp}, else JPEG for a JPEG source and PNG for any other. Only an explicit {@code image/webp}
 * counts: browsers without WebP sent {@code image/*} too. Pure.
 */
public final class FormatChoice {
  public static final String AUTO = "auto";

  private FormatChoice() {
  }

  /** Whether {@code accept} lists {@code image/webp} with a quality above 0. */
  public static boolean acceptsWebp(String accept) {
    if (accept == null) {
      return false;
    }
    for (String range : accept.toLowerCase(Locale.ROOT).split(",")) {
      String[] parts = range.split(";");
      if (!parts[0].trim().equals("image/webp")) {
        continue;
      }
      for (int i = 1; i < parts.length; i++) {
        String p = parts[i].trim();
        if (p.startsWith("q=")) {
          try {
            return Double.parseDouble(p.substring(2)) > 0;
          } catch (NumberFormatException e) {
            return false;
          }
        }
      }
      return true;
    }
    return false;
  }

  /** What the cache keys on for {@code asked}: the format itself, or auto with the one thing the choice reads from the request. */
  public static String cacheClass(String asked, String accept) {
    if (asked != null && !AUTO.equals(asked)) {
      return asked;
    }
    return acceptsWebp(accept) ? "auto:webp" : "auto";
  }

  /**
   * The output format: {@code asked} when it names one; for auto (or none: an image server answers the web's
   * formats) WebP if accepted, else jpg for a JPEG source and png for others.
   */
  public static String choose(String asked, String accept, boolean jpegSource) {
    if (asked != null && !AUTO.equals(asked)) {
      return asked;
    }
    return acceptsWebp(accept) ? "webp" : jpegSource ? "jpg" : "png";
  }

  /** Whether the bytes are a JPEG's (its start-of-image marker). */
  public static boolean isJpeg(byte[] b) {
    return b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF;
  }
}
