package dev.pixelbus.image.ops;

import dev.pixelbus.api.ImageOp;
import dev.pixelbus.common.Params;
import org.opencv.core.Core;
import org.opencv.core.Mat;

/** cv2.rotate by 90, 180 or 270 degrees clockwise. */
public final class Rotate extends Operation<Rotate.Spec> {
  static final Param<Integer> ANGLE = Param.integer("angle", null, "degrees, clockwise").only(90, 180, 270).required()
      .example(90);

  public record Spec(int angle) {
    public int rotateCode() {
      return angle == 90 ? Core.ROTATE_90_CLOCKWISE : angle == 180 ? Core.ROTATE_180 : Core.ROTATE_90_COUNTERCLOCKWISE;
    }
  }

  Rotate() {
    super(ImageOp.ROTATE, "cv2.rotate(im, ROTATE_90_CLOCKWISE | ROTATE_180 | ROTATE_90_COUNTERCLOCKWISE)", ANGLE);
  }

  @Override
  public Spec parse(Params p, boolean pipelineStep) {
    return new Spec(get(p, ANGLE));
  }

  @Override
  public int[] scaleFreeSize(Spec spec, int w, int h) {
    return spec.angle() == 180 ? new int[] {w, h} : new int[] {h, w};
  }

  @Override
  public Mat apply(Mat image, Spec spec, OpContext context) {
    Mat out = new Mat();
    Core.rotate(image, out, spec.rotateCode());
    return out;
  }
}
