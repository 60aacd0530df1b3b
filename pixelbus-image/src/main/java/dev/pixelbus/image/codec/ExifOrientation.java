package dev.pixelbus.image.codec;

import org.opencv.core.Core;
import org.opencv.core.Mat;

/**
 * A JPEG's EXIF orientation, and the turn OpenCV's {@code imdecode} gives the pixels for it: OpenCV
 * applies it to every decode but {@code IMREAD_UNCHANGED}, so a decode of ours that skips OpenCV must
 * apply it the same way to give the same pixels. Read from the first APP1 segment, as OpenCV reads it (an
 * XMP segment before the EXIF one hides the orientation from OpenCV, so from us too); anything it cannot
 * read is orientation 1 (as stored), as OpenCV takes it.
 */
public final class ExifOrientation {
  /** As stored. */
  public static final int NORMAL = 1;
  private static final int TAG_ORIENTATION = 0x0112;

  private ExifOrientation() {
  }

  /** 1 to 8 (TIFF's values: 1 as stored, 6 turned 90° clockwise to view, ...); 1 when there is none. */
  public static int of(byte[] jpeg) {
    int i = 2;
    while (i + 4 <= jpeg.length) {
      if ((jpeg[i] & 0xFF) != 0xFF) {
        return NORMAL;
      }
      int marker = jpeg[i + 1] & 0xFF;
      if (marker == 0xFF) {
        i++; // fill byte
        continue;
      }
      if (marker == 0xDA || marker == 0xD9) {
        return NORMAL; // the scan: no metadata after it
      }
      int length = u16(jpeg, i + 2, false);
      if (marker == 0xE1) {
        // OpenCV reads the first APP1 only: when an XMP one comes first, it turns nothing, and neither do we.
        int end = Math.min(jpeg.length, i + 2 + length);
        return isExif(jpeg, i + 4, end) ? app1(jpeg, i + 4, end) : NORMAL;
      }
      if (length < 2) {
        return NORMAL;
      }
      i += 2 + length;
    }
    return NORMAL;
  }

  /** Whether the orientation swaps width and height (a turn of 90° or 270°, or a transpose). */
  public static boolean swapsSides(int orientation) {
    return orientation >= 5 && orientation <= 8;
  }

  /** Whether an APP1 body is EXIF's ({@code Exif\0\0} and room for a TIFF header), not XMP's or another's. */
  private static boolean isExif(byte[] b, int start, int end) {
    return end - start >= 14 && b[start] == 'E' && b[start + 1] == 'x' && b[start + 2] == 'i' && b[start + 3] == 'f'
        && b[start + 4] == 0 && b[start + 5] == 0;
  }

  /** The orientation in an EXIF body: a TIFF structure whose first IFD may hold it; 1 for anything else. */
  private static int app1(byte[] b, int start, int end) {
    int tiff = start + 6;
    boolean little;
    if (b[tiff] == 'I' && b[tiff + 1] == 'I') {
      little = true;
    } else if (b[tiff] == 'M' && b[tiff + 1] == 'M') {
      little = false;
    } else {
      return NORMAL;
    }
    long ifd = tiff + u32(b, tiff + 4, little);
    if (ifd + 2 > end) {
      return NORMAL;
    }
    int entries = u16(b, (int) ifd, little);
    for (int e = 0; e < entries; e++) {
      int at = (int) ifd + 2 + 12 * e;
      if (at + 12 > end) {
        return NORMAL;
      }
      if (u16(b, at, little) == TAG_ORIENTATION) {
        int value = u16(b, at + 8, little);
        return value >= 1 && value <= 8 ? value : NORMAL;
      }
    }
    return NORMAL;
  }

  /**
   * Turns a decoded image as OpenCV's {@code imdecode} does for {@code orientation}; returns {@code image}
   * itself for 1, else a new Mat (the caller releases both).
   */
  public static Mat apply(Mat image, int orientation) {
    if (orientation == NORMAL || orientation < 1 || orientation > 8) {
      return image;
    }
    Mat out = new Mat();
    switch (orientation) {
      case 2 -> Core.flip(image, out, 1);
      case 3 -> Core.flip(image, out, -1);
      case 4 -> Core.flip(image, out, 0);
      case 5 -> Core.transpose(image, out);
      case 6 -> Core.rotate(image, out, Core.ROTATE_90_CLOCKWISE);
      case 7 -> {
        Core.transpose(image, out);
        Core.flip(out, out, -1);
      }
      default -> Core.rotate(image, out, Core.ROTATE_90_COUNTERCLOCKWISE);
    }
    return out;
  }

  private static int u16(byte[] b, int i, boolean little) {
    return little ? (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 : (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
  }

  private static long u32(byte[] b, int i, boolean little) {
    return little ? Integer.toUnsignedLong((b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | b[i + 3] << 24)
        : Integer.toUnsignedLong((b[i] & 0xFF) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF));
  }
}
