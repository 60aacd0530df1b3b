package dev.pixelbus.image.codec;

import com.sun.jna.NativeLibrary;
import org.opencv.core.Core;

/**
 * The codecs a process uses, chosen once: OpenCV's for every format, and for JPEG the system's SIMD
 * libjpeg-turbo through its TurboJPEG API when it is there ({@link JpegCodec}). Both give the same pixels
 * and the same bytes (ImageCodecTest proves it on every test JPEG), so the choice changes speed only.
 */
public final class Codecs {
  private static volatile Boolean turboJpeg;
  private static volatile String turboJpegProblem;

  private Codecs() {
  }

  /** Whether the system's libturbojpeg loads here (tried once per process). */
  public static boolean turboJpegAvailable() {
    Boolean known = turboJpeg;
    if (known == null) {
      synchronized (Codecs.class) {
        if (turboJpeg == null) {
          try {
            TurboJpegLibrary.tjDestroy(TurboJpegLibrary.tjInitDecompress());
            turboJpeg = true;
          } catch (UnsatisfiedLinkError | NoClassDefFoundError | ExceptionInInitializerError e) {
            turboJpegProblem = String.valueOf(e.getMessage() == null ? e : e.getMessage()).lines().findFirst().orElse("");
            turboJpeg = false;
          }
        }
        known = turboJpeg;
      }
    }
    return known;
  }

  /**
   * Whether {@code choice} uses TurboJPEG here; {@link JpegCodec#TURBOJPEG} without the library is an
   * error that names the setting and the package.
   */
  public static boolean usesTurboJpeg(JpegCodec choice) {
    if (choice == JpegCodec.OPENCV) {
      return false;
    }
    boolean available = turboJpegAvailable();
    if (choice == JpegCodec.TURBOJPEG && !available) {
      throw new IllegalArgumentException("image.jpegCodec is turbojpeg, but the system's libturbojpeg cannot be loaded ("
          + turboJpegProblem + "); install it (Debian: apt-get install libturbojpeg0) or set image.jpegCodec to auto");
    }
    return available;
  }

  /** A worker's codec, for its thread alone (TurboJPEG's handles are not thread-safe). */
  public static ImageCodec forWorker(JpegCodec choice) {
    return new ImageCodec(usesTurboJpeg(choice) ? new TurboJpeg() : null);
  }

  /** What decodes and encodes, in words, for the start-up log and /health. */
  public static String describe(JpegCodec choice) {
    String opencv = "OpenCV " + Core.VERSION;
    if (usesTurboJpeg(choice)) {
      return "JPEG: libjpeg-turbo (TurboJPEG API, " + NativeLibrary.getInstance("turbojpeg").getFile() + "); others: "
          + opencv;
    }
    return "JPEG and others: " + opencv + (choice == JpegCodec.AUTO ? " (no system libturbojpeg: " + turboJpegProblem + ")"
        : " (image.jpegCodec opencv)");
  }
}
