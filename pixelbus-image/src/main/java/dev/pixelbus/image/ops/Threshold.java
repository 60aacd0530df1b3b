package dev.pixelbus.image.ops;

import dev.pixelbus.api.ImageOp;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.common.Params;
import java.util.Map;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

/** cv2.threshold(gray, value, max, type [+ OTSU | TRIANGLE]); the course's default is 127/255 binary. */
public final class Threshold extends Operation<Threshold.Spec> {
  static final Param<Double> VALUE = Param.number("value", 127.0, "the threshold (ignored with otsu or triangle)")
      .range(0, 255);
  static final Param<Double> MAX = Param.number("max", 255.0, "the value given to pixels that pass").range(0, 255);
  static final Param<ThresholdType> TYPE = Param.choice("type", ThresholdType.class, ThresholdType.BINARY,
      "cv2's THRESH_* type");
  static final Param<Boolean> OTSU = Param.bool("otsu", false, "choose the threshold by Otsu's method");
  static final Param<Boolean> TRIANGLE = Param.bool("triangle", false, "choose the threshold by the triangle method");

  /** How a global threshold is chosen: the given value, or computed by Otsu or triangle. */
  public enum Auto {
    NONE(0), OTSU(Imgproc.THRESH_OTSU), TRIANGLE(Imgproc.THRESH_TRIANGLE);

    public final int flag;

    Auto(int flag) {
      this.flag = flag;
    }
  }

  public record Spec(double value, double max, ThresholdType type, Auto auto) {
    public static final Spec DEFAULT = new Spec(127, 255, ThresholdType.BINARY, Auto.NONE);
  }

  /** The image and the threshold used (computed for Otsu and triangle). */
  public record Thresholded(Mat image, double threshold) {
  }

  Threshold() {
    super(ImageOp.THRESHOLD, "cv2.threshold(gray, value, max, type [+ THRESH_OTSU | THRESH_TRIANGLE])", VALUE, MAX, TYPE,
        OTSU, TRIANGLE);
  }

  @Override
  public Spec parse(Params p, boolean pipelineStep) {
    double value = get(p, VALUE);
    double max = get(p, MAX);
    ThresholdType type = get(p, TYPE);
    boolean otsu = get(p, OTSU);
    boolean triangle = get(p, TRIANGLE);
    if (otsu && triangle) {
      throw PixelbusException.badRequest("otsu and triangle cannot both be true");
    }
    return new Spec(value, max, type, otsu ? Auto.OTSU : triangle ? Auto.TRIANGLE : Auto.NONE);
  }

  @Override
  public Mat apply(Mat image, Spec spec, OpContext context) {
    Thresholded t = ImageOps.onGray(image, gray -> threshold(gray, spec));
    context.findings().put("threshold", t.threshold());
    return t.image();
  }

  /** cv2.threshold on a gray image. */
  public static Thresholded threshold(Mat gray, Spec spec) {
    Mat out = new Mat();
    double t = Imgproc.threshold(gray, out, spec.value(), spec.max(), spec.type().flag | spec.auto().flag);
    return new Thresholded(out, t);
  }

  @Override
  public Map<String, String> replyFields() {
    return fields("threshold", "the threshold used (computed for otsu and triangle)");
  }
}
