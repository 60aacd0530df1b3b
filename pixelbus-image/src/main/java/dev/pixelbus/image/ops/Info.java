package dev.pixelbus.image.ops;

import dev.pixelbus.api.ImageOp;
import dev.pixelbus.common.Params;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/** The image as stored: its channels, depth and top-left pixel (the reply has its size and format). */
public final class Info extends Operation<Void> {
  Info() {
    super(ImageOp.INFO, "the image as stored: size, format, channels, depth and the top-left pixel");
  }

  @Override
  public Void parse(Params params, boolean pipelineStep) {
    return null;
  }

  @Override
  public Mat apply(Mat image, Void spec, OpContext context) {
    List<Number> topLeft = new ArrayList<>();
    for (double v : image.get(0, 0)) {
      topLeft.add(v == Math.rint(v) ? (Number) (long) v : (Number) v);
    }
    context.findings().put("channels", image.channels())
        .put("depth", depthName(image.depth()))
        .put("topLeft", topLeft);
    if (context.pipeline()) {
      // After a pipeline's steps the image is no longer the input: say what info saw.
      context.findings().put("infoWidth", image.cols()).put("infoHeight", image.rows());
    }
    return image;
  }

  /**
   * OpenCV's name for a depth without the "CV_" and the channel count. A fixed table: the former
   * {@code typeToString(..).replaceAll(regex)} compiled a pattern on every call and made info 7x
   * slower than cv2's (0.17 ms against 0.02, bench-ops pinned to one CPU).
   */
  static String depthName(int depth) {
    return switch (depth) {
      case CvType.CV_8U -> "8U";
      case CvType.CV_8S -> "8S";
      case CvType.CV_16U -> "16U";
      case CvType.CV_16S -> "16S";
      case CvType.CV_32S -> "32S";
      case CvType.CV_32F -> "32F";
      case CvType.CV_64F -> "64F";
      case CvType.CV_16F -> "16F";
      default -> "depth " + depth;
    };
  }

  @Override
  public boolean makesImage(Void spec) {
    return false;
  }

  @Override
  public boolean answersJson() {
    return true;
  }

  @Override
  public boolean readsAsStored() {
    return true;
  }

  @Override
  public Map<String, String> replyFields() {
    return fields("channels", "channels as stored (1, 3 or 4)", "depth", "8U, 16U, 32F ...",
        "topLeft", "the top-left pixel, BGR(A) as stored", "infoWidth", "in a pipeline: the width info saw",
        "infoHeight", "in a pipeline: the height info saw");
  }
}
