package dev.pixelbus.image.ops;

import dev.pixelbus.api.ImageOp;
import dev.pixelbus.common.Params;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/** cv2.GaussianBlur(im, (ksize, ksize), sigma): sigma 0 lets OpenCV derive it from ksize. */
public final class Blur extends Operation<Blur.Spec> {
  static final Param<Integer> KSIZE = Param.integer("ksize", 5, "the kernel's side").range(1, 99).odd();
  static final Param<Double> SIGMA = Param.number("sigma", 0.0, "the Gaussian's sigma; 0 derives it from ksize")
      .range(0, 100);

  public record Spec(int ksize, double sigma) {
  }

  Blur() {
    super(ImageOp.BLUR, "cv2.GaussianBlur(im, (ksize, ksize), sigma)", KSIZE, SIGMA);
  }

  @Override
  public Spec parse(Params p, boolean pipelineStep) {
    return new Spec(get(p, KSIZE), get(p, SIGMA));
  }

  @Override
  public Mat apply(Mat image, Spec spec, OpContext context) {
    Mat out = new Mat();
    Imgproc.GaussianBlur(image, out, new Size(spec.ksize(), spec.ksize()), spec.sigma());
    return out;
  }
}
