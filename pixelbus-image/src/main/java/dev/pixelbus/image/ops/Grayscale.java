package dev.pixelbus.image.ops;

import dev.pixelbus.api.ImageOp;
import dev.pixelbus.common.Params;
import org.opencv.core.Mat;

/** cv2.cvtColor(im, cv2.COLOR_BGR2GRAY); an image with one channel already is left as it is. */
public final class Grayscale extends Operation<Void> {
  Grayscale() {
    super(ImageOp.GRAYSCALE, "cv2.cvtColor(im, COLOR_BGR2GRAY)");
  }

  @Override
  public Void parse(Params params, boolean pipelineStep) {
    return null;
  }

  @Override
  public int[] scaleFreeSize(Void spec, int w, int h) {
    return new int[] {w, h};
  }

  @Override
  public Mat apply(Mat image, Void spec, OpContext context) {
    return image.channels() == 1 ? image : ImageOps.grayscale(image);
  }
}
