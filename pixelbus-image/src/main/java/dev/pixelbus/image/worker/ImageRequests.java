package dev.pixelbus.image.worker;

import dev.pixelbus.api.ImageOp;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.common.Params;
import dev.pixelbus.image.ops.OutputFormat;
import dev.pixelbus.image.ops.Specs;
import dev.pixelbus.image.ops.ThresholdType;
import io.vertx.core.json.JsonObject;

/** The request side of the image contract: a JSON body to a validated {@link ImageJob}. */
public final class ImageRequests {
  private ImageRequests() {
  }

  public static ImageJob parse(ImageOp op, JsonObject body) {
    Params p = new Params(body, op.label());
    ImageJob.Input input = input(p);
    String output = null;
    OutputFormat format = null;
    Integer quality = null;
    if (op != ImageOp.INFO) {
      output = p.string("output", null);
      String formatName = p.string("format", null);
      format = output != null ? OutputFormat.ofFileName(output) : OutputFormat.PNG;
      if (formatName != null) {
        OutputFormat asked = OutputFormat.parse(formatName);
        if (output != null && asked != format) {
          throw PixelbusException.badRequest("format " + formatName + " contradicts the extension of output " + output);
        }
        format = asked;
      }
      quality = p.optionalInteger("quality");
      // OpenCV's convention: a WebP quality above 100 means lossless.
      int maxQuality = format == OutputFormat.WEBP ? 101 : 100;
      if (quality != null && (quality < 1 || quality > maxQuality)) {
        throw p.bad("quality", "must be between 1 and " + maxQuality + (maxQuality > 100 ? " (101: lossless)" : "")
            + ", not " + quality);
      }
    }
    Object spec = switch (op) {
      case THRESHOLD -> threshold(p);
      case ADAPTIVE -> adaptive(p);
      case FACES -> faces(p);
      default -> null;
    };
    p.rejectUnknown();
    return new ImageJob(op, input, output, format, quality, spec);
  }

  private static ImageJob.Input input(Params p) {
    Object v = p.raw("input");
    if (v == null) {
      throw PixelbusException.badRequest("input is missing: give a path, or {\"bytes\": BASE64}");
    }
    if (v instanceof String path) {
      return new ImageJob.FileInput(path);
    }
    if (v instanceof JsonObject o && o.containsKey("bytes") && o.size() == 1) {
      return new ImageJob.BytesInput(Params.bytes(o.getValue("bytes"), "input.bytes"));
    }
    throw PixelbusException.badRequest("input must be a path or {\"bytes\": BASE64}");
  }

  private static Specs.Threshold threshold(Params p) {
    Specs.Threshold d = Specs.Threshold.DEFAULT;
    boolean otsu = p.bool("otsu", false);
    boolean triangle = p.bool("triangle", false);
    if (otsu && triangle) {
      throw PixelbusException.badRequest("otsu and triangle cannot both be true");
    }
    Specs.AutoThreshold auto = otsu ? Specs.AutoThreshold.OTSU : triangle ? Specs.AutoThreshold.TRIANGLE : Specs.AutoThreshold.NONE;
    return new Specs.Threshold(p.number("value", d.value()), p.number("max", d.max()),
        ThresholdType.parse("type", p.string("type", d.type().label())), auto);
  }

  private static Specs.Adaptive adaptive(Params p) {
    Specs.Adaptive d = Specs.Adaptive.DEFAULT;
    return new Specs.Adaptive(Specs.AdaptiveMethod.parse(p.string("method", d.method().name())),
        p.integer("blockSize", d.blockSize()), p.number("c", d.c()), p.number("max", d.max()),
        ThresholdType.parse("type", p.string("type", d.type().label())));
  }

  private static Specs.Faces faces(Params p) {
    Specs.Faces d = Specs.Faces.DEFAULT;
    return new Specs.Faces(p.number("scaleFactor", d.scaleFactor()), p.integer("minNeighbors", d.minNeighbors()),
        size(p.size("minSize")), size(p.size("maxSize")), p.bool("draw", d.draw()), p.string("cascade", null));
  }

  private static Specs.Size size(int[] wh) {
    return wh == null ? null : new Specs.Size(wh[0], wh[1]);
  }
}
