package dev.pixelbus.image.ops;

import dev.pixelbus.api.Box;
import dev.pixelbus.api.PixelbusException;

/** The validated parameters of each operation. Each constructor refuses a bad value with 400, naming it. */
public final class Specs {
  private Specs() {
  }

  /** How a global threshold is chosen: the given value, or computed by Otsu or triangle. */
  public enum AutoThreshold {
    NONE(0), OTSU(org.opencv.imgproc.Imgproc.THRESH_OTSU), TRIANGLE(org.opencv.imgproc.Imgproc.THRESH_TRIANGLE);

    public final int flag;

    AutoThreshold(int flag) {
      this.flag = flag;
    }
  }

  public enum AdaptiveMethod {
    MEAN(org.opencv.imgproc.Imgproc.ADAPTIVE_THRESH_MEAN_C), GAUSSIAN(org.opencv.imgproc.Imgproc.ADAPTIVE_THRESH_GAUSSIAN_C);

    public final int flag;

    AdaptiveMethod(int flag) {
      this.flag = flag;
    }

    public static AdaptiveMethod parse(String value) {
      return Specs.parse(AdaptiveMethod.class, "method", value);
    }
  }

  /** cv2.threshold(gray, value, max, type [+ OTSU | TRIANGLE]); the course's default is 127/255 binary. */
  public record Threshold(double value, double max, ThresholdType type, AutoThreshold auto) {
    public static final Threshold DEFAULT = new Threshold(127, 255, ThresholdType.BINARY, AutoThreshold.NONE);

    public Threshold {
      requireByteRange("value", value);
      requireByteRange("max", max);
    }
  }

  /** cv2.adaptiveThreshold(gray, max, method, type, blockSize, c); the course's default is gaussian 11/2. */
  public record Adaptive(AdaptiveMethod method, int blockSize, double c, double max, ThresholdType type) {
    public static final Adaptive DEFAULT = new Adaptive(AdaptiveMethod.GAUSSIAN, 11, 2, 255, ThresholdType.BINARY);

    public Adaptive {
      if (blockSize < 3 || blockSize % 2 == 0) {
        throw PixelbusException.badRequest("blockSize must be odd and at least 3, not " + blockSize);
      }
      if (type != ThresholdType.BINARY && type != ThresholdType.BINARY_INV) {
        throw PixelbusException.badRequest("type for adaptive must be binary or binary_inv, not " + type.label());
      }
      requireByteRange("max", max);
      if (!Double.isFinite(c)) {
        throw PixelbusException.badRequest("c must be a finite number");
      }
    }
  }

  /** A width and height in pixels, for the face sizes. */
  public record Size(int width, int height) {
  }

  /**
   * CascadeClassifier.detectMultiScale(gray, scaleFactor, minNeighbors, 0, minSize, maxSize); OpenCV's
   * defaults are 1.1, 3 and no size limits. {@code cascade} is a path, or null for the configured one.
   */
  public record Faces(double scaleFactor, int minNeighbors, Size minSize, Size maxSize, boolean draw, String cascade) {
    public static final Faces DEFAULT = new Faces(1.1, 3, null, null, true, null);

    public Faces {
      if (!(scaleFactor > 1.0) || !Double.isFinite(scaleFactor)) {
        throw PixelbusException.badRequest("scaleFactor must be greater than 1 (OpenCV's default is 1.1), not " + scaleFactor);
      }
      if (minNeighbors < 0) {
        throw PixelbusException.badRequest("minNeighbors must be 0 or more, not " + minNeighbors);
      }
      requirePositive("minSize", minSize);
      requirePositive("maxSize", maxSize);
      if (minSize != null && maxSize != null && (minSize.width() > maxSize.width() || minSize.height() > maxSize.height())) {
        throw PixelbusException.badRequest("minSize " + minSize.width() + "x" + minSize.height() + " is larger than maxSize "
            + maxSize.width() + "x" + maxSize.height());
      }
    }
  }

  /** How a resize to a width and a height treats the aspect ratio (imaginary's and imgproxy's words). */
  public enum Fit {
    /** Within the box, the aspect ratio kept: one side may come out shorter. */
    INSIDE,
    /** Covers the box, the aspect ratio kept, then cropped to it around the centre. */
    COVER,
    /** Exactly the box: the aspect ratio may change. */
    FILL;

    public static Fit parse(String value) {
      return Specs.parse(Fit.class, "fit", value);
    }
  }

  /** cv2.resize's interpolations; AUTO is INTER_AREA when the result is smaller, INTER_LINEAR otherwise. */
  public enum Interpolation {
    AUTO(-1), NEAREST(org.opencv.imgproc.Imgproc.INTER_NEAREST), LINEAR(org.opencv.imgproc.Imgproc.INTER_LINEAR),
    CUBIC(org.opencv.imgproc.Imgproc.INTER_CUBIC), AREA(org.opencv.imgproc.Imgproc.INTER_AREA),
    LANCZOS(org.opencv.imgproc.Imgproc.INTER_LANCZOS4);

    public final int flag;

    Interpolation(int flag) {
      this.flag = flag;
    }

    /** The flag for a resize from {@code from} pixels to {@code to} pixels. */
    public int flagFor(long from, long to) {
      return this != AUTO ? flag : to < from ? AREA.flag : LINEAR.flag;
    }

    public static Interpolation parse(String value) {
      return Specs.parse(Interpolation.class, "interpolation", value);
    }
  }

  /**
   * cv2.resize to {@code width} and/or {@code height} (a side left out keeps the aspect ratio, rounded half
   * up, at least 1), or by {@code scale}. With both sides, {@code fit} says how the ratio is treated.
   */
  public record Resize(Integer width, Integer height, Double scale, Fit fit, Interpolation interpolation) {
    public Resize {
      if (scale != null && (width != null || height != null)) {
        throw PixelbusException.badRequest("resize takes width and/or height, or scale, not both");
      }
      if (scale == null && width == null && height == null) {
        throw PixelbusException.badRequest("resize needs width, height or scale");
      }
      if (scale != null && !(scale > 0 && scale <= 64)) {
        throw PixelbusException.badRequest("scale must be above 0 and at most 64, not " + scale);
      }
      requireSide("width", width);
      requireSide("height", height);
      fit = fit == null ? Fit.INSIDE : fit;
      interpolation = interpolation == null ? Interpolation.AUTO : interpolation;
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

    static void requireSide(String name, Integer v) {
      if (v != null && (v < 1 || v > 1 << 16)) {
        throw PixelbusException.badRequest(name + " must be between 1 and 65536, not " + v);
      }
    }
  }

  /** A rectangle of the image: cv2's {@code im[y:y+h, x:x+w]}; it must lie inside the image (checked there). */
  public record Crop(int x, int y, int w, int h) {
    public Crop {
      if (x < 0 || y < 0 || w < 1 || h < 1) {
        throw PixelbusException.badRequest("crop needs x, y of 0 or more and w, h of 1 or more, not " + x + "," + y
            + " " + w + "x" + h);
      }
    }
  }

  /** cv2.rotate by 90, 180 or 270 degrees clockwise. */
  public record Rotate(int angle) {
    public Rotate {
      if (angle != 90 && angle != 180 && angle != 270) {
        throw PixelbusException.badRequest("angle must be 90, 180 or 270 (clockwise), not " + angle);
      }
    }

    public int rotateCode() {
      return angle == 90 ? org.opencv.core.Core.ROTATE_90_CLOCKWISE : angle == 180 ? org.opencv.core.Core.ROTATE_180
          : org.opencv.core.Core.ROTATE_90_COUNTERCLOCKWISE;
    }
  }

  /** cv2.flip: {@code h} mirrors left to right (flipCode 1), {@code v} top to bottom (0), {@code both} (-1). */
  public enum Flip {
    H(1), V(0), BOTH(-1);

    public final int flipCode;

    Flip(int flipCode) {
      this.flipCode = flipCode;
    }

    public static Flip parse(String value) {
      return Specs.parse(Flip.class, "axis", value);
    }
  }

  /** cv2.GaussianBlur(im, (ksize, ksize), sigma): ksize odd, 1 to 99; sigma 0 lets OpenCV derive it from ksize. */
  public record Blur(int ksize, double sigma) {
    public Blur {
      if (ksize < 1 || ksize > 99 || ksize % 2 == 0) {
        throw PixelbusException.badRequest("ksize must be odd, from 1 to 99, not " + ksize);
      }
      if (!Double.isFinite(sigma) || sigma < 0 || sigma > 100) {
        throw PixelbusException.badRequest("sigma must be from 0 to 100, not " + sigma);
      }
    }
  }

  /** What facecrop does when it finds no face. */
  public enum NoFace {
    /** Fails with 404 faceNotFound: the caller decides. */
    FAIL,
    /** Crops the centre instead: the largest centred box of the asked aspect ratio (a square without a size). */
    CENTER;

    public static NoFace parse(String value) {
      return "fail".equalsIgnoreCase(value) || "faceNotFound".equalsIgnoreCase(value) ? FAIL
          : Specs.parse(NoFace.class, "fallback", value);
    }
  }

  /**
   * Crop to the largest face that {@code detect} finds, grown by {@code margin} of the face's width and
   * height on every side and clipped to the image. With {@code width} and {@code height} the box first
   * takes their aspect ratio around the face (shifted, not clipped, at an edge) and is then resized to
   * exactly that; with one of them the crop is resized keeping its own ratio.
   */
  public record FaceCrop(Faces detect, double margin, Integer width, Integer height, NoFace fallback) {
    public static final double DEFAULT_MARGIN = 0.3;

    public FaceCrop {
      if (!Double.isFinite(margin) || margin < 0 || margin > 10) {
        throw PixelbusException.badRequest("margin must be from 0 to 10 (of the face's size), not " + margin);
      }
      Resize.requireSide("width", width);
      Resize.requireSide("height", height);
      fallback = fallback == null ? NoFace.FAIL : fallback;
    }

    /**
     * The rectangle to crop from a {@code w} × {@code h} image around {@code face}, or around the centre
     * when {@code face} is null: a pure function, so it is tested without OpenCV and known before any
     * pixel is touched.
     */
    public Box box(int w, int h, Box face) {
      Double aspect = width != null && height != null ? (double) width / height : null;
      if (face == null) {
        double a = aspect == null ? 1.0 : aspect;
        int bw = (int) Math.min(w, Math.round(h * a));
        int bh = (int) Math.min(h, Math.round(bw / a));
        bw = Math.max(1, bw);
        bh = Math.max(1, bh);
        return new Box((w - bw) / 2, (h - bh) / 2, bw, bh);
      }
      double x0 = face.x() - margin * face.w();
      double y0 = face.y() - margin * face.h();
      double x1 = face.x() + face.w() + margin * face.w();
      double y1 = face.y() + face.h() + margin * face.h();
      if (aspect == null) {
        int bx = (int) Math.max(0, Math.round(x0));
        int by = (int) Math.max(0, Math.round(y0));
        int bx1 = (int) Math.min(w, Math.round(x1));
        int by1 = (int) Math.min(h, Math.round(y1));
        return new Box(bx, by, Math.max(1, bx1 - bx), Math.max(1, by1 - by));
      }
      // Grow the short side to the ratio around the face's centre; shrink both when the image is too small.
      double bw = x1 - x0;
      double bh = y1 - y0;
      if (bw / bh < aspect) {
        bw = bh * aspect;
      } else {
        bh = bw / aspect;
      }
      double fit = Math.min(1.0, Math.min(w / bw, h / bh));
      int iw = (int) Math.max(1, Math.min(w, Math.round(bw * fit)));
      int ih = (int) Math.max(1, Math.min(h, Math.round(bh * fit)));
      double cx = face.x() + face.w() / 2.0;
      double cy = face.y() + face.h() / 2.0;
      int bx = (int) Math.max(0, Math.min(w - iw, Math.round(cx - iw / 2.0)));
      int by = (int) Math.max(0, Math.min(h - ih, Math.round(cy - ih / 2.0)));
      return new Box(bx, by, iw, ih);
    }

    /** The resize after the crop, or null when the crop is the result. */
    public Resize resize() {
      if (width == null && height == null) {
        return null;
      }
      return new Resize(width, height, null, Fit.FILL, Interpolation.AUTO);
    }
  }

  /** A value of {@code type} by its name, in any case; 400 naming the parameter and the choices otherwise. */
  static <E extends Enum<E>> E parse(Class<E> type, String param, String value) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(value)) {
        return e;
      }
    }
    java.util.List<String> names = java.util.Arrays.stream(type.getEnumConstants())
        .map(e -> "'" + e.name().toLowerCase(java.util.Locale.ROOT) + "'").toList();
    throw PixelbusException.badRequest(param + " must be " + String.join(", ", names.subList(0, names.size() - 1))
        + " or " + names.get(names.size() - 1) + ", not '" + value + "'");
  }

  private static void requireByteRange(String name, double v) {
    if (!Double.isFinite(v) || v < 0 || v > 255) {
      throw PixelbusException.badRequest(name + " must be between 0 and 255, not " + v);
    }
  }

  private static void requirePositive(String name, Size s) {
    if (s != null && (s.width() <= 0 || s.height() <= 0)) {
      throw PixelbusException.badRequest(name + " must be positive, not " + s.width() + "x" + s.height());
    }
  }
}
