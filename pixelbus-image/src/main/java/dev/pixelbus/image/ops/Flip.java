package dev.pixelbus.image.ops;

import dev.pixelbus.api.ImageOp;
import dev.pixelbus.common.Params;
import org.opencv.core.Core;
import org.opencv.core.Mat;

/** cv2.flip: {@code h} mirrors left to right (flipCode 1), {@code v} top to bottom (0), {@code both} (-1). */
public final class Flip extends Operation<Flip.Axis> {
  public enum Axis {
    H(1), V(0), BOTH(-1);

    public final int flipCode;

    Axis(int flipCode) {
      this.flipCode = flipCode;
    }
  }

  static final Param<Axis> AXIS = Param.choice("axis", Axis.class, null, "h mirrors left to right, v top to bottom")
      .required().example("h");

  Flip() {
    super(ImageOp.FLIP, "cv2.flip(im, 1 | 0 | -1)", AXIS);
  }

  @Override
  public Axis parse(Params p, boolean pipelineStep) {
    return get(p, AXIS);
  }

  @Override
  public int[] scaleFreeSize(Axis axis, int w, int h) {
    return new int[] {w, h};
  }

  @Override
  public Mat apply(Mat image, Axis axis, OpContext context) {
    Mat out = new Mat();
    Core.flip(image, out, axis.flipCode);
    return out;
  }
}
