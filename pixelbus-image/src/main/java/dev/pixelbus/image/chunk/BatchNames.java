package dev.pixelbus.image.chunk;

import dev.pixelbus.image.ops.OutputFormat;
import java.util.Locale;

/** How a batch names what it writes, and which files of a folder it takes. Pure functions. */
public final class BatchNames {
  private BatchNames() {
  }

  /** Hidden files (a leading dot) are skipped, as are the batch's own temporary files. */
  public static boolean isCandidate(String name) {
    return !name.startsWith(".");
  }

  /**
   * The output's name: the input's base name with the format's extension; without a format, the
   * input's own extension when pixelbus can write it (so ship_0_0.jpg stays ship_0_0.jpg, as in the
   * course), png otherwise.
   */
  public static String outputName(String inputName, OutputFormat format) {
    int dot = inputName.lastIndexOf('.');
    String base = dot > 0 ? inputName.substring(0, dot) : inputName;
    if (format != null) {
      return base + format.extension;
    }
    String ext = dot > 0 ? inputName.substring(dot).toLowerCase(Locale.ROOT) : "";
    return switch (ext) {
      case ".png", ".jpg", ".jpeg", ".webp" -> base + inputName.substring(dot);
      default -> base + OutputFormat.PNG.extension;
    };
  }

  /** The format an output name asks for. */
  public static OutputFormat formatOf(String outputName) {
    return OutputFormat.ofFileName(outputName);
  }
}
