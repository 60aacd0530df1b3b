package dev.pixelbus.image.ops;

import dev.pixelbus.api.ImageOp;
import dev.pixelbus.common.Params;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

/** cv2.adaptiveThreshold(gray, max, method, type, blockSize, c); the course's default is gaussian 11/2. */
public final class Adaptive extends Operation<Adaptive.Spec> {
  public enum Method {
    MEAN(Imgproc.ADAPTIVE_THRESH_MEAN_C), GAUSSIAN(Imgproc.ADAPTIVE_THRESH_GAUSSIAN_C);

    public final int flag;

    Method(int flag) {
      this.flag = flag;
    }
  }

  static final Param<Method> METHOD = Param.choice("method", Method.class, Method.GAUSSIAN,
      "the neighbourhood's mean, or its Gaussian-weighted sum");
  static final Param<Integer> BLOCK_SIZE = Param.integer("blockSize", 11, "the neighbourhood's side, in pixels")
      .atLeast(3).odd();
  static final Param<Double> C = Param.number("c", 2.0, "the constant subtracted from the mean");
  static final Param<Double> MAX = Param.number("max", 255.0, "the value given to pixels that pass").range(0, 255);
  static final Param<ThresholdType> TYPE = Param.choice("type", ThresholdType.class, ThresholdType.BINARY,
      "binary or binary_inv").only(ThresholdType.BINARY, ThresholdType.BINARY_INV);

  public record Spec(Method method, int blockSize, double c, double max, ThresholdType type) {
    public static final Spec DEFAULT = new Spec(Method.GAUSSIAN, 11, 2, 255, ThresholdType.BINARY);
  }

  Adaptive() {
    super(ImageOp.ADAPTIVE, "cv2.adaptiveThreshold(gray, max, method, type, blockSize, c)", METHOD, BLOCK_SIZE, C, MAX, TYPE);
  }

  @Override
  public Spec parse(Params p, boolean pipelineStep) {
    return new Spec(get(p, METHOD), get(p, BLOCK_SIZE), get(p, C), get(p, MAX), get(p, TYPE));
  }

  @Override
  public Mat apply(Mat image, Spec spec, OpContext context) {
    return ImageOps.onGray(image, gray -> adaptive(gray, spec));
  }

  /** cv2.adaptiveThreshold on a gray image. */
  public static Mat adaptive(Mat gray, Spec spec) {
    Mat out = new Mat();
    Imgproc.adaptiveThreshold(gray, out, spec.max(), spec.method().flag, spec.type().flag, spec.blockSize(), spec.c());
    return out;
  }
}
