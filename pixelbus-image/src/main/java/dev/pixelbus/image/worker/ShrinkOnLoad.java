package dev.pixelbus.image.worker;

import java.util.List;

/**
 * Shrink-on-load, as libvips does it: a JPEG decoded at 1/2, 1/4 or 1/8 of its size by libjpeg's DCT
 * scaling, when the job's first step that depends on the image's scale shrinks it (a resize, a facecrop
 * to a size) and still gets the decode it needs ({@link dev.pixelbus.image.ops.Operation#leastDecodedSize}).
 * Steps before it may only be scale-free ones (grayscale, flip, rotate). A 24-megapixel photo to 300 wide
 * decodes at 1/8: a sixty-fourth of the pixels, in a seventh of the time. A pure function of the steps
 * and the size.
 */
public final class ShrinkOnLoad {
  /** The fractions libjpeg decodes at, the smallest first. */
  private static final int[] SCALES = {8, 4, 2};

  private ShrinkOnLoad() {
  }

  /**
   * The fraction to decode a JPEG of {@code width} × {@code height} (as oriented) at: 8, 4, 2, or 1 for the
   * whole image.
   */
  public static int scale(List<Step<?>> steps, int width, int height) {
    int w = width;
    int h = height;
    for (Step<?> step : steps) {
      int[] least = step.leastDecodedSize(w, h);
      if (least != null) {
        for (int s : SCALES) {
          if (ceilDiv(w, s) >= least[0] && ceilDiv(h, s) >= least[1]) {
            return s;
          }
        }
        return 1;
      }
      int[] next = step.scaleFreeSize(w, h);
      if (next == null) {
        return 1;
      }
      w = next[0];
      h = next[1];
    }
    return 1;
  }

  /** libjpeg's rounding of a scaled side: up. */
  private static int ceilDiv(int side, int scale) {
    return (side + scale - 1) / scale;
  }
}
