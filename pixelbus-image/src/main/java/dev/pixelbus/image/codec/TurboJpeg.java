package dev.pixelbus.image.codec;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.NativeLongByReference;
import com.sun.jna.ptr.PointerByReference;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * One thread's TurboJPEG handles (they are not thread-safe; each image worker owns its own). It decodes
 * straight into an OpenCV {@link Mat}'s pixels, at 1/1, 1/2, 1/4 or 1/8 of the size (libjpeg's DCT
 * scaling, as OpenCV's {@code IMREAD_REDUCED_*} asks for it), and encodes a Mat's pixels with the same
 * choices OpenCV's {@code imencode} makes (islow DCT, 4:2:0, the standard tables), so both give the same
 * pixels and the same bytes: SIMD does the work faster, not differently.
 */
final class TurboJpeg implements AutoCloseable {
  private final Pointer decompressor = TurboJpegLibrary.tjInitDecompress();
  private final Pointer compressor = TurboJpegLibrary.tjInitCompress();

  /** A JPEG that TurboJPEG cannot decode (or a color space it will not convert): OpenCV gets a try. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The image in BGR, 8 bits, at {@code 1/scale} of its size (rounded up, as libjpeg does), without EXIF's
   * orientation applied. A warning (corrupt data that libjpeg decodes anyway) is not a failure, as it is not
   * through OpenCV.
   */
  Mat decode(byte[] jpeg, int scale) throws Refused {
    NativeLong size = new NativeLong(jpeg.length);
    IntByReference w = new IntByReference();
    IntByReference h = new IntByReference();
    IntByReference subsamp = new IntByReference();
    IntByReference colorspace = new IntByReference();
    if (TurboJpegLibrary.tjDecompressHeader3(decompressor, jpeg, size, w, h, subsamp, colorspace) != 0) {
      throw new Refused(TurboJpegLibrary.tjGetErrorStr2(decompressor));
    }
    int width = (w.getValue() + scale - 1) / scale;
    int height = (h.getValue() + scale - 1) / scale;
    Mat bgr = new Mat(height, width, CvType.CV_8UC3);
    int rc = TurboJpegLibrary.tjDecompress2(decompressor, jpeg, size, new Pointer(bgr.dataAddr()), width, 0, height,
        TurboJpegLibrary.TJPF_BGR, 0);
    if (rc != 0 && TurboJpegLibrary.tjGetErrorCode(decompressor) != TurboJpegLibrary.TJERR_WARNING) {
      String why = TurboJpegLibrary.tjGetErrorStr2(decompressor);
      bgr.release();
      throw new Refused(why);
    }
    return bgr;
  }

  /** Whether {@link #encode} takes this image: 8-bit BGR or gray, its rows one after the other. */
  static boolean encodes(Mat image) {
    return (image.type() == CvType.CV_8UC3 || image.type() == CvType.CV_8UC1) && image.isContinuous();
  }

  /** The image as a JPEG of {@code quality}, byte for byte what OpenCV's {@code imencode(".jpg")} writes. */
  byte[] encode(Mat image, int quality) throws Refused {
    boolean gray = image.channels() == 1;
    PointerByReference out = new PointerByReference();
    NativeLongByReference size = new NativeLongByReference();
    int rc = TurboJpegLibrary.tjCompress2(compressor, new Pointer(image.dataAddr()), image.cols(), (int) image.step1(),
        image.rows(), gray ? TurboJpegLibrary.TJPF_GRAY : TurboJpegLibrary.TJPF_BGR, out, size,
        gray ? TurboJpegLibrary.TJSAMP_GRAY : TurboJpegLibrary.TJSAMP_420, quality, TurboJpegLibrary.TJFLAG_ACCURATEDCT);
    Pointer buffer = out.getValue();
    try {
      if (rc != 0) {
        throw new Refused(TurboJpegLibrary.tjGetErrorStr2(compressor));
      }
      return buffer.getByteArray(0, (int) size.getValue().longValue());
    } finally {
      if (buffer != null) {
        TurboJpegLibrary.tjFree(buffer);
      }
    }
  }

  @Override
  public void close() {
    TurboJpegLibrary.tjDestroy(decompressor);
    TurboJpegLibrary.tjDestroy(compressor);
  }
}
