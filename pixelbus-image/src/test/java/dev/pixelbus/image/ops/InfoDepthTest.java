package dev.pixelbus.image.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;

/** Info's depth table says what OpenCV's own type name says, for every depth and channel count. */
class InfoDepthTest {
  @Test
  void everyDepthIsNamedAsOpenCvNamesIt() {
    int[] depths = {CvType.CV_8U, CvType.CV_8S, CvType.CV_16U, CvType.CV_16S, CvType.CV_32S, CvType.CV_32F,
        CvType.CV_64F, CvType.CV_16F};
    for (int depth : depths) {
      for (int channels = 1; channels <= 4; channels++) {
        String openCv = CvType.typeToString(CvType.makeType(depth, channels));
        assertEquals(openCv.substring("CV_".length(), openCv.lastIndexOf('C')), Info.depthName(depth), openCv);
      }
    }
  }
}
