package dev.pixelbus.image.ops;

import dev.pixelbus.api.ImageOp;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.common.Params;
import org.opencv.core.Mat;
import org.opencv.core.Rect;

/** A rectangle of the image: cv2's {@code im[y:y+h, x:x+w].copy()}; it must lie inside the image. */
public final class Crop extends Operation<Crop.Spec> {
  static final Param<Integer> X = Param.integer("x", 0, "the left edge").atLeast(0);
  static final Param<Integer> Y = Param.integer("y", 0, "the top edge").atLeast(0);
  static final Param<Integer> W = Param.integer("w", null, "the width").atLeast(1).required().example(100);
  static final Param<Integer> H = Param.integer("h", null, "the height").atLeast(1).required().example(100);

  public record Spec(int x, int y, int w, int h) {
  }

  Crop() {
    super(ImageOp.CROP, "im[y:y+h, x:x+w]: a rectangle inside the image", X, Y, W, H);
  }

  @Override
  public Spec parse(Params p, boolean pipelineStep) {
    return new Spec(get(p, X), get(p, Y), get(p, W), get(p, H));
  }

  @Override
  public Mat apply(Mat image, Spec spec, OpContext context) {
    return crop(image, spec);
  }

  /** cv2's {@code im[y:y+h, x:x+w].copy()}; a rectangle not inside the image is 400. */
  public static Mat crop(Mat image, Spec spec) {
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
}
