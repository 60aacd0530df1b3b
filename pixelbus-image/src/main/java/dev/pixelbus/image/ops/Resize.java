package dev.pixelbus.image.ops;

import dev.pixelbus.api.ImageOp;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.common.Params;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * cv2.resize to {@code width} and/or {@code height} (a side left out keeps the aspect ratio, rounded half
 * up, at least 1), or by {@code scale}. With both sides, {@code fit} says how the ratio is treated.
 */
public final class Resize extends Operation<Resize.Spec> {
  static final Param<Integer> WIDTH = Param.integer("width", null, "the result's width; alone, the height keeps the ratio")
      .range(1, 1 << 16).example(800);
  static final Param<Integer> HEIGHT = Param.integer("height", null, "the result's height; alone, the width keeps the ratio")
      .range(1, 1 << 16);
  static final Param<Double> SCALE = Param.number("scale", null, "instead of a size: a factor for both sides")
      .above(0, 64.0);
  static final Param<Fit> FIT = Param.choice("fit", Fit.class, Fit.INSIDE,
      "with width and height: inside the box, cover it (then cropped around the centre), or fill it exactly");
  static final Param<Interpolation> INTERPOLATION = Param.choice("interpolation", Interpolation.class, Interpolation.AUTO,
      "auto is INTER_AREA when shrinking, INTER_LINEAR otherwise");

  /** How a resize to a width and a height treats the aspect ratio (imaginary's and imgproxy's words). */
  public enum Fit {
    /** Within the box, the aspect ratio kept: one side may come out shorter. */
    INSIDE,
    /** Covers the box, the aspect ratio kept, then cropped to it around the centre. */
    COVER,
    /** Exactly the box: the aspect ratio may change. */
    FILL
  }

  /** cv2.resize's interpolations; AUTO is INTER_AREA when the result is smaller, INTER_LINEAR otherwise. */
  public enum Interpolation {
    AUTO(-1), NEAREST(Imgproc.INTER_NEAREST), LINEAR(Imgproc.INTER_LINEAR), CUBIC(Imgproc.INTER_CUBIC),
    AREA(Imgproc.INTER_AREA), LANCZOS(Imgproc.INTER_LANCZOS4);

    public final int flag;

    Interpolation(int flag) {
      this.flag = flag;
    }

    /** The flag for a resize from {@code from} pixels to {@code to} pixels. */
    public int flagFor(long from, long to) {
      return this != AUTO ? flag : to < from ? AREA.flag : LINEAR.flag;
    }
  }

  /** A checked resize: a size, or a scale, never both. */
  public record Spec(Integer width, Integer height, Double scale, Fit fit, Interpolation interpolation) {
    public Spec {
      if (scale != null && (width != null || height != null)) {
        throw PixelbusException.badRequest("resize takes width and/or height, or scale, not both");
      }
      if (scale == null && width == null && height == null) {
        throw PixelbusException.badRequest("resize needs width, height or scale");
      }
      fit = fit == null ? Fit.INSIDE : fit;
      interpolation = interpolation == null ? Interpolation.AUTO : interpolation;
    }

    /** A resize to {@code width} wide, the height keeping the ratio. */
    public static Spec toWidth(int width) {
      return new Spec(width, null, null, null, null);
    }

    /**
     * The size the image is scaled to (before COVER's crop), for a source of {@code w} × {@code h}: a pure
     * function, so a result's size is known, and held to the pixel limit, before anything is allocated.
     */
    public int[] scaledSize(int w, int h) {
      if (scale != null) {
        return new int[] {side(w * scale), side(h * scale)};
      }
      if (height == null) {
        return new int[] {width, side((double) h * width / w)};
      }
      if (width == null) {
        return new int[] {side((double) w * height / h), height};
      }
      if (fit == Fit.FILL) {
        return new int[] {width, height};
      }
      double sx = (double) width / w;
      double sy = (double) height / h;
      double s = fit == Fit.INSIDE ? Math.min(sx, sy) : Math.max(sx, sy);
      // The side the box decides is exactly the box's, not a rounding of it.
      return s == sx ? new int[] {width, side(h * s)} : new int[] {side(w * s), height};
    }

    /** The size of the result: COVER's box, or the scaled size. */
    public int[] resultSize(int w, int h) {
      return fit == Fit.COVER && width != null && height != null ? new int[] {width, height} : scaledSize(w, h);
    }

    private static int side(double v) {
      return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.floor(v + 0.5)));
    }
  }

  Resize() {
    super(ImageOp.RESIZE, "cv2.resize to width and/or height (fit inside, cover or fill), or by scale", WIDTH, HEIGHT, SCALE,
        FIT, INTERPOLATION);
  }

  @Override
  public Spec parse(Params p, boolean pipelineStep) {
    return new Spec(get(p, WIDTH), get(p, HEIGHT), get(p, SCALE), get(p, FIT), get(p, INTERPOLATION));
  }

  /** A shrink needs a decode of at least twice its result on each side (a smaller one loses detail: NOTES). */
  @Override
  public int[] leastDecodedSize(Spec spec, int w, int h) {
    int[] to = spec.scaledSize(w, h);
    return to[0] < w && to[1] < h ? new int[] {2 * to[0], 2 * to[1]} : null;
  }

  @Override
  public Mat apply(Mat image, Spec spec, OpContext context) {
    // The size asked for is reckoned from the image's full size, also when it was decoded smaller.
    int[] source = context.sourceSize(image);
    int[] to = spec.scaledSize(source[0], source[1]);
    context.requireWithinLimit(to[0], to[1], label());
    return resize(image, spec, source[0], source[1]);
  }

  /** cv2.resize to the spec's size (for COVER: then cropped to its box around the centre). */
  public static Mat resize(Mat image, Spec spec) {
    return resize(image, spec, image.cols(), image.rows());
  }

  /**
   * cv2.resize to the size the spec gives an image of {@code sourceW} × {@code sourceH}: the image's own
   * size, or its full size when it was decoded at a fraction of it (shrink-on-load).
   */
  static Mat resize(Mat image, Spec spec, int sourceW, int sourceH) {
    int[] to = spec.scaledSize(sourceW, sourceH);
    Mat scaled = new Mat();
    Imgproc.resize(image, scaled, new Size(to[0], to[1]), 0, 0,
        spec.interpolation().flagFor((long) image.cols() * image.rows(), (long) to[0] * to[1]));
    int[] box = spec.resultSize(sourceW, sourceH);
    if (box[0] == to[0] && box[1] == to[1]) {
      return scaled;
    }
    try {
      return Crop.crop(scaled, new Crop.Spec((to[0] - box[0]) / 2, (to[1] - box[1]) / 2, box[0], box[1]));
    } finally {
      scaled.release();
    }
  }
}
