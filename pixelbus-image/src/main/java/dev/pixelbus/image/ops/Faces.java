package dev.pixelbus.image.ops;

import dev.pixelbus.api.ImageOp;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.common.Params;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opencv.core.Mat;
import org.opencv.core.MatOfRect;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.objdetect.CascadeClassifier;

/**
 * Haar face detection: cascade.detectMultiScale(gray, scaleFactor, minNeighbors, 0, minSize, maxSize),
 * OpenCV's defaults 1.1, 3 and no size limits; the boxes drawn as the course drew them.
 */
public final class Faces extends Operation<Faces.Spec> {
  static final Param<Double> SCALE_FACTOR = Param.number("scaleFactor", 1.1,
      "how much the image shrinks between scales (OpenCV's default 1.1)").above(1, null);
  static final Param<Integer> MIN_NEIGHBORS = Param.integer("minNeighbors", 3,
      "neighbours a candidate needs to be kept").atLeast(0);
  static final Param<int[]> MIN_SIZE = Param.size("minSize", "smallest face, [w, h]");
  static final Param<int[]> MAX_SIZE = Param.size("maxSize", "largest face, [w, h]");
  static final Param<String> CASCADE = Param.string("cascade", "another Haar cascade file, under the input roots");
  static final Param<Boolean> DRAW = Param.bool("draw", true,
      "draw the boxes and answer the image too (a pipeline's faces step answers JSON unless told to draw)");

  /** A width and height in pixels, for the face sizes. */
  public record FaceSize(int width, int height) {
    static FaceSize of(int[] wh) {
      return wh == null ? null : new FaceSize(wh[0], wh[1]);
    }
  }

  /** {@code cascade} is a path, or null for the configured one. */
  public record Spec(double scaleFactor, int minNeighbors, FaceSize minSize, FaceSize maxSize, boolean draw, String cascade) {
    public static final Spec DEFAULT = new Spec(1.1, 3, null, null, true, null);

    public Spec {
      if (minSize != null && maxSize != null && (minSize.width() > maxSize.width() || minSize.height() > maxSize.height())) {
        throw PixelbusException.badRequest("minSize " + minSize.width() + "x" + minSize.height() + " is larger than maxSize "
            + maxSize.width() + "x" + maxSize.height());
      }
    }
  }

  Faces() {
    super(ImageOp.FACES, "cascade.detectMultiScale(gray, scaleFactor, minNeighbors, 0, minSize, maxSize), boxes drawn in green",
        SCALE_FACTOR, MIN_NEIGHBORS, MIN_SIZE, MAX_SIZE, CASCADE, DRAW);
  }

  @Override
  public Spec parse(Params p, boolean pipelineStep) {
    boolean draw = p.has(DRAW.name()) ? get(p, DRAW) : !pipelineStep;
    return detector(this, p, draw);
  }

  /** detectMultiScale's parameters, as faces and facecrop take them. */
  static Spec detector(Operation<?> op, Params p, boolean draw) {
    return new Spec(op.get(p, SCALE_FACTOR), op.get(p, MIN_NEIGHBORS), FaceSize.of(op.get(p, MIN_SIZE)),
        FaceSize.of(op.get(p, MAX_SIZE)), draw, op.get(p, CASCADE));
  }

  @Override
  public Mat apply(Mat image, Spec spec, OpContext context) {
    List<Rect> found = detect(image, spec, context);
    context.findings().put("faces", found.stream().map(ImageOps::box).toList());
    if (spec.draw()) {
      ImageOps.drawBoxes(image, found);
    }
    return image;
  }

  /** The faces in {@code image} (gray or BGR), with the job's classifier. */
  static List<Rect> detect(Mat image, Spec spec, OpContext context) {
    CascadeClassifier cascade = context.cascade(spec.cascade());
    return ImageOps.onGray(image, gray -> detectFaces(cascade, gray, spec));
  }

  /**
   * cascade.detectMultiScale(gray, scaleFactor, minNeighbors, 0, minSize, maxSize). A
   * CascadeClassifier is not thread-safe: give each thread its own.
   */
  public static List<Rect> detectFaces(CascadeClassifier cascade, Mat gray, Spec spec) {
    MatOfRect found = new MatOfRect();
    try {
      cascade.detectMultiScale(gray, found, spec.scaleFactor(), spec.minNeighbors(), 0, size(spec.minSize()),
          size(spec.maxSize()));
      return new ArrayList<>(found.toList());
    } finally {
      found.release();
    }
  }

  private static Size size(FaceSize s) {
    return s == null ? new Size() : new Size(s.width(), s.height());
  }

  @Override
  public boolean makesImage(Spec spec) {
    return spec.draw();
  }

  @Override
  public boolean answersJson() {
    return true;
  }

  @Override
  public Map<String, String> replyFields() {
    return fields("faces", "the boxes found, [{x, y, w, h}, ...]");
  }
}
