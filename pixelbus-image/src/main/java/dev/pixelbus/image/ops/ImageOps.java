package dev.pixelbus.image.ops;

import dev.pixelbus.api.Box;
import dev.pixelbus.api.ErrorCode;
import dev.pixelbus.api.PixelbusException;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.MatOfRect;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;
import org.opencv.objdetect.CascadeClassifier;

/**
 * The image operations, as pure functions over OpenCV {@link Mat}s: no Vert.x, no files. They do
 * what the course's cv2 programs do, with the same calls and defaults, so the pixels match.
 * Every Mat returned belongs to the caller, who must {@link Mat#release()} it.
 */
public final class ImageOps {
  /** The course's box colour (BGR green) and thickness. */
  static final Scalar BOX_COLOR = new Scalar(0, 255, 0);
  static final int BOX_THICKNESS = 2;

  private ImageOps() {
  }

  /** What {@code info} reports: the image as stored, before any conversion. */
  public record Info(int width, int height, int channels, String depth, double[] topLeft) {
  }

  /** The result of a global threshold: the image and the threshold used (computed for Otsu and triangle). */
  public record Thresholded(Mat image, double threshold) {
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
      } catch (org.opencv.core.CvException e) {
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

  public static Info info(Mat image) {
    return new Info(image.cols(), image.rows(), image.channels(), CvType.typeToString(image.type()).replaceAll("C\\d+$", "")
        .replace("CV_", ""), image.get(0, 0));
  }

  /** cv2.cvtColor(im, cv2.COLOR_BGR2GRAY), for the 3-channel image that IMREAD_COLOR gives. */
  public static Mat grayscale(Mat bgr) {
    Mat gray = new Mat();
    Imgproc.cvtColor(bgr, gray, bgr.channels() == 4 ? Imgproc.COLOR_BGRA2GRAY : Imgproc.COLOR_BGR2GRAY);
    return gray;
  }

  /** cv2.threshold(gray, value, max, type [+ OTSU | TRIANGLE]). */
  public static Thresholded threshold(Mat gray, Specs.Threshold spec) {
    Mat out = new Mat();
    double t = Imgproc.threshold(gray, out, spec.value(), spec.max(), spec.type().flag | spec.auto().flag);
    return new Thresholded(out, t);
  }

  /** cv2.adaptiveThreshold(gray, max, method, type, blockSize, c). */
  public static Mat adaptive(Mat gray, Specs.Adaptive spec) {
    Mat out = new Mat();
    Imgproc.adaptiveThreshold(gray, out, spec.max(), spec.method().flag, spec.type().flag, spec.blockSize(), spec.c());
    return out;
  }

  /**
   * cascade.detectMultiScale(gray, scaleFactor, minNeighbors, 0, minSize, maxSize). A
   * CascadeClassifier is not thread-safe: give each thread its own.
   */
  public static List<Rect> detectFaces(CascadeClassifier cascade, Mat gray, Specs.Faces spec) {
    MatOfRect found = new MatOfRect();
    try {
      cascade.detectMultiScale(gray, found, spec.scaleFactor(), spec.minNeighbors(), 0, size(spec.minSize()),
          size(spec.maxSize()));
      return new ArrayList<>(found.toList());
    } finally {
      found.release();
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

  /** cv2.resize to the spec's size (for COVER: then cropped to its box around the centre). */
  public static Mat resize(Mat image, Specs.Resize spec) {
    int[] to = spec.scaledSize(image.cols(), image.rows());
    Mat scaled = new Mat();
    Imgproc.resize(image, scaled, new Size(to[0], to[1]), 0, 0,
        spec.interpolation().flagFor((long) image.cols() * image.rows(), (long) to[0] * to[1]));
    int[] box = spec.resultSize(image.cols(), image.rows());
    if (box[0] == to[0] && box[1] == to[1]) {
      return scaled;
    }
    try {
      return crop(scaled, new Specs.Crop((to[0] - box[0]) / 2, (to[1] - box[1]) / 2, box[0], box[1]));
    } finally {
      scaled.release();
    }
  }

  /** facecrop's cut: the rectangle {@link Specs.FaceCrop#box} chose, resized when the spec asks for a size. */
  public static Mat faceCrop(Mat image, Box box, Specs.FaceCrop spec) {
    Mat cut = crop(image, new Specs.Crop(box.x(), box.y(), box.w(), box.h()));
    Specs.Resize resize = spec.resize();
    if (resize == null) {
      return cut;
    }
    try {
      return resize(cut, resize);
    } finally {
      cut.release();
    }
  }

  /** cv2's {@code im[y:y+h, x:x+w].copy()}; a rectangle not inside the image is 400. */
  public static Mat crop(Mat image, Specs.Crop spec) {
    if ((long) spec.x() + spec.w() > image.cols() || (long) spec.y() + spec.h() > image.rows()) {
      throw PixelbusException.badRequest(String.format("crop %d,%d %dx%d is outside the %dx%d image", spec.x(), spec.y(),
          spec.w(), spec.h(), image.cols(), image.rows()));
    }
    Mat view = image.submat(new Rect(spec.x(), spec.y(), spec.w(), spec.h()));
    try {
      return view.clone();
    } finally {
      view.release();
    }
  }

  /** cv2.rotate(im, ROTATE_90_CLOCKWISE | ROTATE_180 | ROTATE_90_COUNTERCLOCKWISE). */
  public static Mat rotate(Mat image, Specs.Rotate spec) {
    Mat out = new Mat();
    Core.rotate(image, out, spec.rotateCode());
    return out;
  }

  /** cv2.flip(im, flipCode). */
  public static Mat flip(Mat image, Specs.Flip axis) {
    Mat out = new Mat();
    Core.flip(image, out, axis.flipCode);
    return out;
  }

  /** cv2.GaussianBlur(im, (ksize, ksize), sigma). */
  public static Mat blur(Mat image, Specs.Blur spec) {
    Mat out = new Mat();
    Imgproc.GaussianBlur(image, out, new Size(spec.ksize(), spec.ksize()), spec.sigma());
    return out;
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

  private static Size size(Specs.Size s) {
    return s == null ? new Size() : new Size(s.width(), s.height());
  }
}
