package dev.pixelbus.image.ops;

import java.util.Locale;
import org.opencv.imgproc.Imgproc;

/** OpenCV's simple threshold types, by the names the course used. */
public enum ThresholdType {
  BINARY(Imgproc.THRESH_BINARY),
  BINARY_INV(Imgproc.THRESH_BINARY_INV),
  TRUNC(Imgproc.THRESH_TRUNC),
  TOZERO(Imgproc.THRESH_TOZERO),
  TOZERO_INV(Imgproc.THRESH_TOZERO_INV);

  public final int flag;

  ThresholdType(int flag) {
    this.flag = flag;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
