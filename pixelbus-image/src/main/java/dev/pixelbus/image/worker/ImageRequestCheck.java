package dev.pixelbus.image.worker;

import dev.pixelbus.api.ImageOp;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.image.ops.OutputFormat;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Checks a batch's parameters once, up front, with the same rules every file would meet. */
public final class ImageRequestCheck {
  private static final List<String> PER_FILE = List.of("input", "output", "format", "quality");

  private ImageRequestCheck() {
  }

  public static ImageJob batchParams(ImageOp op, JsonObject params, OutputFormat format, Integer quality) {
    for (String key : PER_FILE) {
      if (params.containsKey(key)) {
        throw PixelbusException.badRequest("params may not hold '" + key + "': a batch names its files itself;"
            + " give format and quality beside params");
      }
    }
    JsonObject template = params.copy().put("input", "batch");
    if (format != null) {
      template.put("format", format.label());
    }
    if (quality != null) {
      template.put("quality", quality);
    }
    return ImageRequests.parse(op, template);
  }
}
