package dev.pixelbus.image.codec;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.NativeLongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The TurboJPEG API of the system's libjpeg-turbo ({@code libturbojpeg.so.0}, Debian's {@code libturbojpeg0}),
 * bound with JNA's direct mapping: the calls cost a JNI call each, no reflection. The class fails to load
 * ({@link UnsatisfiedLinkError}) where the library is missing; {@link Codecs} catches that and keeps OpenCV's
 * codec. The constants are turbojpeg.h's (2.x).
 */
final class TurboJpegLibrary {
  static final int TJPF_BGR = 1;
  static final int TJPF_GRAY = 6;
  static final int TJSAMP_420 = 2;
  static final int TJSAMP_GRAY = 3;
  /** The accurate (islow) DCT: OpenCV's, so the bytes come out the same; TurboJPEG compresses with ifast unless told. */
  static final int TJFLAG_ACCURATEDCT = 4096;
  /** A warning: the image was decoded, as libjpeg decodes it through OpenCV too. */
  static final int TJERR_WARNING = 0;

  static {
    Native.register(TurboJpegLibrary.class, "turbojpeg");
  }

  private TurboJpegLibrary() {
  }

  static native Pointer tjInitDecompress();

  static native Pointer tjInitCompress();

  static native int tjDestroy(Pointer handle);

  static native int tjDecompressHeader3(Pointer handle, byte[] jpegBuf, NativeLong jpegSize, IntByReference width,
                                        IntByReference height, IntByReference jpegSubsamp, IntByReference jpegColorspace);

  static native int tjDecompress2(Pointer handle, byte[] jpegBuf, NativeLong jpegSize, Pointer dstBuf, int width, int pitch,
                                  int height, int pixelFormat, int flags);

  static native int tjCompress2(Pointer handle, Pointer srcBuf, int width, int pitch, int height, int pixelFormat,
                                PointerByReference jpegBuf, NativeLongByReference jpegSize, int jpegSubsamp, int jpegQual,
                                int flags);

  static native void tjFree(Pointer buffer);

  static native String tjGetErrorStr2(Pointer handle);

  static native int tjGetErrorCode(Pointer handle);
}
