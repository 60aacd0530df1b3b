package dev.pixelbus.image.ops;

import dev.pixelbus.api.ImageOp;
import dev.pixelbus.common.Params;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Unsharp mask: the image plus {@code amount} times its detail, where the detail is the image minus a
 * Gaussian blur of it. In cv2, {@code cv2.addWeighted(im, 1 + amount, cv2.GaussianBlur(im, (0, 0), sigma),
 * -amount, 0)}.
 */
public final class Sharpen extends Operation<Sharpen.Spec> {
  static final Param<Double> SIGMA = Param.number("sigma", 1.0, "the blur's sigma, in pixels: the size of the detail")
      .above(0, 100.0);
  static final Param<Double> AMOUNT = Param.number("amount", 1.0, "how much detail to add back (0 leaves the image)")
      .range(0, 100);

  public record Spec(double sigma, double amount) {
  }

  Sharpen() {
    super(ImageOp.SHARPEN, "unsharp mask: cv2.addWeighted(im, 1 + amount, cv2.GaussianBlur(im, (0, 0), sigma), -amount, 0)",
        SIGMA, AMOUNT);
  }

  @Override
  public Spec parse(Params p, boolean pipelineStep) {
    return new Spec(get(p, SIGMA), get(p, AMOUNT));
  }

  @Override
  public Mat apply(Mat image, Spec spec, OpContext context) {
    Mat blurred = new Mat();
    try {
      Imgproc.GaussianBlur(image, blurred, new Size(0, 0), spec.sigma());
      Mat out = new Mat();
      Core.addWeighted(image, 1 + spec.amount(), blurred, -spec.amount(), 0, out);
      return out;
    } finally {
      blurred.release();
    }
  }
}
