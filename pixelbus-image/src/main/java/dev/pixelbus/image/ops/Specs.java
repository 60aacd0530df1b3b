package dev.pixelbus.image.ops;

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
      for (AdaptiveMethod m : values()) {
        if (m.name().equalsIgnoreCase(value)) {
          return m;
        }
      }
      throw PixelbusException.badRequest("method must be 'mean' or 'gaussian', not '" + value + "'");
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
