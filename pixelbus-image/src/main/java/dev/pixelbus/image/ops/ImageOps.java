package dev.pixelbus.image.ops;

import dev.pixelbus.api.Box;
import dev.pixelbus.api.ErrorCode;
import dev.pixelbus.api.PixelbusException;
import java.util.List;
import java.util.function.Function;
import org.opencv.core.Core;
import org.opencv.core.CvException;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * What every operation shares, as pure functions over OpenCV {@link Mat}s (no Vert.x, no files):
 * decoding and encoding, the gray conversion, and the course's boxes. The operations themselves are
 * in {@link Operations}. Every Mat returned belongs to the caller, who must {@link Mat#release()} it.
 */
public final class ImageOps {
  /** The course's box colour (BGR green) and thickness. */
  static final Scalar BOX_COLOR = new Scalar(0, 255, 0);
  static final int BOX_THICKNESS = 2;

  private ImageOps() {
  }

  /**
   * Decodes an encoded image. Call {@link ImageHeader#read} first: OpenCV allocates whatever the
   * header claims.
   *
   * @param flags {@link Imgcodecs#IMREAD_COLOR} for the operations (as cv2.imread does by default),
   *              {@link Imgcodecs#IMREAD_UNCHANGED} to see the image as stored
   */
  public static Mat decode(byte[] encoded, int flags) {
    MatOfByte buf = new MatOfByte(encoded);
    try {
      Mat m;
      try {
        m = Imgcodecs.imdecode(buf, flags);
      } catch (CvException e) {
        // Some of OpenCV's checks (sizes, say) throw instead of returning an empty Mat.
        throw PixelbusException.unsupported("not a readable image: " + e.getMessage().lines().findFirst().orElse(""));
      }
      if (m.empty()) {
        m.release();
        throw PixelbusException.unsupported("not a readable image: the decoder rejected the data (corrupt or truncated)");
      }
      return m;
    } finally {
      buf.release();
    }
  }

  /** cv2.cvtColor(im, cv2.COLOR_BGR2GRAY), for the 3-channel image that IMREAD_COLOR gives. */
  public static Mat grayscale(Mat bgr) {
    Mat gray = new Mat();
    Imgproc.cvtColor(bgr, gray, bgr.channels() == 4 ? Imgproc.COLOR_BGRA2GRAY : Imgproc.COLOR_BGR2GRAY);
    return gray;
  }

  /** Runs {@code f} on the gray image: {@code image} itself when it has one channel, else a converted copy. */
  public static <T> T onGray(Mat image, Function<Mat, T> f) {
    if (image.channels() == 1) {
      return f.apply(image);
    }
    Mat gray = grayscale(image);
    try {
      return f.apply(gray);
    } finally {
      gray.release();
    }
  }

  /** The largest box by area (the first of equals, in detectMultiScale's order), or null for none. */
  public static Box largest(List<Rect> boxes) {
    Rect best = null;
    for (Rect r : boxes) {
      if (best == null || (long) r.width * r.height > (long) best.width * best.height) {
        best = r;
      }
    }
    return best == null ? null : box(best);
  }

  /** A detected box in the contract's terms. */
  public static Box box(Rect r) {
    return new Box(r.x, r.y, r.width, r.height);
  }

  /** Draws each box as the course did: cv2.rectangle(im, (x, y), (x + w, y + h), (0, 255, 0), 2). */
  public static void drawBoxes(Mat image, List<Rect> boxes) {
    for (Rect r : boxes) {
      Imgproc.rectangle(image, new Point(r.x, r.y), new Point(r.x + r.width, r.y + r.height), BOX_COLOR, BOX_THICKNESS);
    }
  }

  /**
   * Refuses, as the caller's choice (400), a result the format cannot hold: WebP has at most 16383
   * pixels a side, JPEG 65500. OpenCV would only say that it could not encode.
   */
  public static void checkEncodable(Mat image, OutputFormat format) {
    int max = format == OutputFormat.WEBP ? 16383 : format == OutputFormat.JPEG ? 65500 : Integer.MAX_VALUE;
    if (image.cols() > max || image.rows() > max) {
      throw PixelbusException.badRequest(String.format("a %d×%d result cannot be written as %s (at most %d pixels a side);"
          + " choose png", image.cols(), image.rows(), format.label(), max));
    }
  }

  /**
   * Encodes as cv2.imencode does.
   *
   * @param quality 1..100 for jpg and webp, or null for OpenCV's default
   */
  public static byte[] encode(Mat image, OutputFormat format, Integer quality) {
    MatOfByte out = new MatOfByte();
    MatOfInt params = quality == null ? new MatOfInt()
        : new MatOfInt(format == OutputFormat.WEBP ? Imgcodecs.IMWRITE_WEBP_QUALITY : Imgcodecs.IMWRITE_JPEG_QUALITY, quality);
    try {
      if (!Imgcodecs.imencode(format.extension, image, out, params)) {
        throw new PixelbusException(ErrorCode.INTERNAL, "OpenCV could not encode the result as " + format.label());
      }
      return out.toArray();
    } finally {
      out.release();
      params.release();
    }
  }

  /** Sets OpenCV's own thread count, process-wide: with a pool of our own, 1 avoids oversubscription. */
  public static void setThreads(int n) {
    Core.setNumThreads(n);
  }
}
