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
        .put("depth", CvType.typeToString(image.type()).replaceAll("C\\d+$", "").replace("CV_", ""))
        .put("topLeft", topLeft);
    if (context.pipeline()) {
      // After a pipeline's steps the image is no longer the input: say what info saw.
      context.findings().put("infoWidth", image.cols()).put("infoHeight", image.rows());
    }
    return image;
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
