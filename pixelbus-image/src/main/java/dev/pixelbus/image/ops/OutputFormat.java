package dev.pixelbus.image.ops;

import dev.pixelbus.api.PixelbusException;
import java.util.Locale;

/** The encodings an output can have, chosen by the output file's extension or by {@code format}. */
public enum OutputFormat {
  PNG(".png", "image/png"),
  JPEG(".jpg", "image/jpeg"),
  WEBP(".webp", "image/webp");

  public final String extension;
  public final String mediaType;

  OutputFormat(String extension, String mediaType) {
    this.extension = extension;
    this.mediaType = mediaType;
  }

  public String label() {
    return this == JPEG ? "jpg" : name().toLowerCase(Locale.ROOT);
  }

  /** png, jpg or jpeg, webp (any case). */
  public static OutputFormat parse(String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "png":
        return PNG;
      case "jpg":
      case "jpeg":
        return JPEG;
      case "webp":
        return WEBP;
      default:
        throw PixelbusException.badRequest("format must be png, jpg or webp, not '" + name + "'");
    }
  }

  /** The format a file name asks for by its extension. */
  public static OutputFormat ofFileName(String fileName) {
    int dot = fileName.lastIndexOf('.');
    if (dot < 0 || dot == fileName.length() - 1) {
      throw PixelbusException.badRequest("output '" + fileName + "' needs an extension: .png, .jpg or .webp");
    }
    try {
      return parse(fileName.substring(dot + 1));
    } catch (PixelbusException e) {
      throw PixelbusException.badRequest("output '" + fileName + "' has an unsupported extension: use .png, .jpg or .webp");
    }
  }
}
