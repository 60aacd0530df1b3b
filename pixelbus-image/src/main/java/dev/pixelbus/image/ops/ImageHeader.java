package dev.pixelbus.image.ops;

import dev.pixelbus.api.PixelbusException;
import java.nio.charset.StandardCharsets;

/**
 * Reads an image's format and size from its first bytes, before any decoder allocates a pixel
 * buffer. OpenCV trusts the header: a 1 KB PNG that claims 50000×50000 makes it allocate 7 GB.
 * Only the formats read here are accepted; anything else is refused as unsupported.
 */
public record ImageHeader(String format, long width, long height) {

  /** OpenCV's own limit per side (CV_IO_MAX_IMAGE_WIDTH/HEIGHT); over it imdecode throws outside its error handling. */
  public static final long MAX_SIDE = 1L << 20;

  /** The pixel count, or Long.MAX_VALUE when a side is over {@link #MAX_SIDE} (no overflow, whatever the header says). */
  public long pixels() {
    return width > MAX_SIDE || height > MAX_SIDE ? Long.MAX_VALUE : width * height;
  }

  /** Parses the header, or fails with 415 naming what is wrong. */
  public static ImageHeader read(byte[] b) {
    if (b.length == 0) {
      throw PixelbusException.unsupported("empty file: not an image");
    }
    ImageHeader h;
    if (startsWith(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      h = png(b);
    } else if (startsWith(b, 0, 0xFF, 0xD8, 0xFF)) {
      h = jpeg(b);
    } else if (startsWith(b, 0, 'R', 'I', 'F', 'F') && startsWith(b, 8, 'W', 'E', 'B', 'P')) {
      h = webp(b);
    } else if (startsWith(b, 0, 'B', 'M')) {
      h = bmp(b);
    } else if (startsWith(b, 0, 'I', 'I', 42, 0) || startsWith(b, 0, 'M', 'M', 0, 42)) {
      h = tiff(b);
    } else if (b.length > 2 && b[0] == 'P' && b[1] >= '1' && b[1] <= '6') {
      h = pnm(b);
    } else {
      throw PixelbusException.unsupported("not a supported image: expected PNG, JPEG, WebP, BMP, TIFF or PNM"
          + " (the file starts with " + hex(b, 8) + ")");
    }
    if (h.width <= 0 || h.height <= 0) {
      throw PixelbusException.unsupported(h.format + " header declares an empty image (" + h.width + "×" + h.height + ")");
    }
    return h;
  }

  /**
   * Why a file whose header is fine still cannot be a whole image, or null. libjpeg decodes a
   * truncated JPEG without an error (it fills the rest with grey), so the end marker is checked here.
   */
  public static String truncation(byte[] b, ImageHeader h) {
    switch (h.format) {
      case "jpeg": {
        int scan = jpegScanStart(b);
        for (int i = b.length - 2; i > scan; i--) {
          if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xD9) {
            return null;
          }
        }
        return "truncated JPEG: no end-of-image marker after the scan data (" + b.length + " bytes)";
      }
      case "webp": {
        long riff = Integer.toUnsignedLong(int32le(b, 4)) + 8;
        return riff > b.length ? "truncated WebP: the header declares " + riff + " bytes, the file has " + b.length : null;
      }
      default:
        return null;
    }
  }

  /** The offset of the first start-of-scan marker, or the file's length when there is none. */
  private static int jpegScanStart(byte[] b) {
    int i = 2;
    while (i + 3 < b.length) {
      int marker = b[i + 1] & 0xFF;
      if ((b[i] & 0xFF) != 0xFF) {
        return b.length;
      } else if (marker == 0xFF) {
        i++;
      } else if (marker == 0xDA) {
        return i;
      } else if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        i += 2;
      } else if (marker < 0xC0) {
        return b.length; // refused by jpeg() already
      } else {
        i += 2 + uint16be(b, i + 2);
      }
    }
    return b.length;
  }

  private static ImageHeader png(byte[] b) {
    need(b, 24, "PNG");
    if (!startsWith(b, 12, 'I', 'H', 'D', 'R')) {
      throw PixelbusException.unsupported("corrupt PNG: the first chunk is not IHDR");
    }
    return new ImageHeader("png", Integer.toUnsignedLong(int32be(b, 16)), Integer.toUnsignedLong(int32be(b, 20)));
  }

  /** Walks the marker segments up to the first SOFn frame header, which holds the size. */
  private static ImageHeader jpeg(byte[] b) {
    int i = 2;
    while (i + 3 < b.length) {
      if ((b[i] & 0xFF) != 0xFF) {
        throw PixelbusException.unsupported("corrupt JPEG: no marker at byte " + i);
      }
      int marker = b[i + 1] & 0xFF;
      if (marker == 0xFF) { // fill byte
        i++;
        continue;
      }
      if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // no length
        i += 2;
        continue;
      }
      if (marker == 0xD9 || marker == 0xDA) {
        break; // end of image, or scan data before any frame header
      }
      if (marker < 0xC0) {
        // FF 00 and the reserved markers have no length that libjpeg honours: it skips such bytes one by
        // one and would find a frame header inside what a length-based walk steps over.
        throw PixelbusException.unsupported(String.format("corrupt JPEG: marker FF %02X at byte %d", marker, i));
      }
      int len = uint16be(b, i + 2);
      boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
      if (sof) {
        need(b, i + 9, "JPEG");
        return new ImageHeader("jpeg", uint16be(b, i + 7), uint16be(b, i + 5));
      }
      i += 2 + len;
    }
    throw PixelbusException.unsupported("corrupt or truncated JPEG: no frame header");
  }

  private static ImageHeader webp(byte[] b) {
    need(b, 30, "WebP");
    if (startsWith(b, 12, 'V', 'P', '8', ' ')) {
      if (!startsWith(b, 23, 0x9D, 0x01, 0x2A)) {
        throw PixelbusException.unsupported("corrupt WebP: bad VP8 start code");
      }
      return new ImageHeader("webp", uint16le(b, 26) & 0x3FFF, uint16le(b, 28) & 0x3FFF);
    }
    if (startsWith(b, 12, 'V', 'P', '8', 'L')) {
      int bits = int32le(b, 21);
      return new ImageHeader("webp", (bits & 0x3FFF) + 1, ((bits >>> 14) & 0x3FFF) + 1);
    }
    if (startsWith(b, 12, 'V', 'P', '8', 'X')) {
      return new ImageHeader("webp", uint24le(b, 24) + 1, uint24le(b, 27) + 1);
    }
    throw PixelbusException.unsupported("unsupported WebP chunk " + new String(b, 12, 4, StandardCharsets.ISO_8859_1));
  }

  private static ImageHeader bmp(byte[] b) {
    need(b, 26, "BMP");
    int dib = int32le(b, 14);
    if (dib == 12) {
      return new ImageHeader("bmp", uint16le(b, 18), uint16le(b, 20));
    }
    return new ImageHeader("bmp", int32le(b, 18), Math.abs((long) int32le(b, 22)));
  }

  /** Reads ImageWidth (256) and ImageLength (257) from the first image file directory. */
  private static ImageHeader tiff(byte[] b) {
    boolean le = b[0] == 'I';
    need(b, 8, "TIFF");
    long ifd = Integer.toUnsignedLong(le ? int32le(b, 4) : int32be(b, 4));
    if (ifd + 2 > b.length) {
      throw PixelbusException.unsupported("truncated TIFF: the first directory is past the end of the file");
    }
    int p = (int) ifd;
    int n = le ? uint16le(b, p) : uint16be(b, p);
    long width = -1;
    long height = -1;
    for (int k = 0; k < n && p + 2 + 12 * (k + 1) <= b.length; k++) {
      int e = p + 2 + 12 * k;
      int tag = le ? uint16le(b, e) : uint16be(b, e);
      if (tag != 256 && tag != 257) {
        continue;
      }
      int type = le ? uint16le(b, e + 2) : uint16be(b, e + 2);
      long count = Integer.toUnsignedLong(le ? int32le(b, e + 4) : int32be(b, e + 4));
      if ((type != 3 && type != 4) || count != 1) {
        // Anything else (LONG8, a count over 1) keeps its value elsewhere, where libtiff reads it.
        throw PixelbusException.unsupported("unsupported TIFF: tag " + tag + " of type " + type + " and count " + count);
      }
      long value = type == 3 ? (le ? uint16le(b, e + 8) : uint16be(b, e + 8))
          : Integer.toUnsignedLong(le ? int32le(b, e + 8) : int32be(b, e + 8));
      // libtiff takes the first of repeated tags and ignores the rest: so does this.
      if (tag == 256 && width < 0) {
        width = value;
      } else if (tag == 257 && height < 0) {
        height = value;
      }
    }
    if (width < 0 || height < 0) {
      throw PixelbusException.unsupported("corrupt TIFF: no image width or length in the first directory");
    }
    return new ImageHeader("tiff", width, height);
  }

  /** P1–P6: magic, width, height as ASCII tokens, with # comments allowed between them. */
  private static ImageHeader pnm(byte[] b) {
    int[] pos = {2};
    long width = pnmNumber(b, pos);
    long height = pnmNumber(b, pos);
    return new ImageHeader("pnm", width, height);
  }

  private static long pnmNumber(byte[] b, int[] pos) {
    int i = pos[0];
    while (i < b.length && (Character.isWhitespace(b[i]) || b[i] == '#')) {
      if (b[i] == '#') {
        while (i < b.length && b[i] != '\n' && b[i] != '\r') { // OpenCV ends a comment at either
          i++;
        }
      } else {
        i++;
      }
    }
    long v = 0;
    int digits = 0;
    while (i < b.length && b[i] >= '0' && b[i] <= '9' && digits < 12) {
      v = v * 10 + (b[i++] - '0');
      digits++;
    }
    if (digits == 0) {
      throw PixelbusException.unsupported("corrupt PNM header: expected a number at byte " + i);
    }
    pos[0] = i;
    return v;
  }

  private static void need(byte[] b, int n, String format) {
    if (b.length < n) {
      throw PixelbusException.unsupported("truncated " + format + ": the header needs " + n + " bytes, the file has " + b.length);
    }
  }

  private static boolean startsWith(byte[] b, int off, int... sig) {
    if (b.length < off + sig.length) {
      return false;
    }
    for (int i = 0; i < sig.length; i++) {
      if ((b[off + i] & 0xFF) != (sig[i] & 0xFF)) {
        return false;
      }
    }
    return true;
  }

  private static int int32be(byte[] b, int i) {
    return ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
  }

  private static int int32le(byte[] b, int i) {
    return (b[i] & 0xFF) | ((b[i + 1] & 0xFF) << 8) | ((b[i + 2] & 0xFF) << 16) | ((b[i + 3] & 0xFF) << 24);
  }

  private static int uint16be(byte[] b, int i) {
    return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
  }

  private static int uint16le(byte[] b, int i) {
    return (b[i] & 0xFF) | ((b[i + 1] & 0xFF) << 8);
  }

  private static int uint24le(byte[] b, int i) {
    return (b[i] & 0xFF) | ((b[i + 1] & 0xFF) << 8) | ((b[i + 2] & 0xFF) << 16);
  }

  private static String hex(byte[] b, int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(n, b.length); i++) {
      s.append(String.format("%02x", b[i] & 0xFF));
    }
    return s.toString();
  }
}
