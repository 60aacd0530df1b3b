package dev.pixelbus.image.codec;

import dev.pixelbus.image.ops.ImageHeader;
import dev.pixelbus.image.ops.ImageOps;
import dev.pixelbus.image.ops.OutputFormat;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * One worker's decoder and encoder: OpenCV's {@code imdecode}/{@code imencode}, with TurboJPEG in their
 * place for JPEG when the process has it. A JPEG can be decoded at 1/2, 1/4 or 1/8 of its size
 * (shrink-on-load); the pixels are then those of OpenCV's {@code IMREAD_REDUCED_COLOR_2/4/8}. Not
 * thread-safe: one per worker.
 */
public final class ImageCodec implements AutoCloseable {
  private final TurboJpeg turbo;

  ImageCodec(TurboJpeg turbo) {
    this.turbo = turbo;
  }

  /** OpenCV's codecs only: for tools and tests. */
  public static ImageCodec openCv() {
    return new ImageCodec(null);
  }

  /** Whether JPEG goes through TurboJPEG. */
  public boolean turboJpeg() {
    return turbo != null;
  }

  /**
   * Decodes as {@code cv2.imdecode} does: {@code IMREAD_UNCHANGED} as stored; otherwise 8-bit BGR with the
   * EXIF orientation applied, at {@code 1/scale} of the size (a JPEG's only; 1 for any other). Call
   * {@link ImageHeader#read} first: a decoder allocates whatever the header claims.
   *
   * @param scale 1, 2, 4 or 8
   */
  public Mat decode(byte[] encoded, ImageHeader header, boolean asStored, int scale) {
    if (asStored) {
      return ImageOps.decode(encoded, Imgcodecs.IMREAD_UNCHANGED);
    }
    boolean jpeg = "jpeg".equals(header.format());
    if (turbo != null && jpeg) {
      try {
        Mat decoded = turbo.decode(encoded, scale);
        Mat turned = ExifOrientation.apply(decoded, ExifOrientation.of(encoded));
        if (turned != decoded) {
          decoded.release();
        }
        return turned;
      } catch (TurboJpeg.Refused e) {
        // OpenCV's libjpeg may take what TurboJPEG will not convert (CMYK, say); if not, its refusal is the answer.
      }
    }
    return ImageOps.decode(encoded, jpeg ? reducedFlag(scale) : Imgcodecs.IMREAD_COLOR);
  }

  /** OpenCV's flag for a colour decode at 1/scale. */
  static int reducedFlag(int scale) {
    return switch (scale) {
      case 1 -> Imgcodecs.IMREAD_COLOR;
      case 2 -> Imgcodecs.IMREAD_REDUCED_COLOR_2;
      case 4 -> Imgcodecs.IMREAD_REDUCED_COLOR_4;
      case 8 -> Imgcodecs.IMREAD_REDUCED_COLOR_8;
      default -> throw new IllegalArgumentException("a JPEG decodes at 1/1, 1/2, 1/4 or 1/8, not 1/" + scale);
    };
  }

  /**
   * Encodes as {@code cv2.imencode} does (the same bytes, whichever codec).
   *
   * @param quality 1..100 for jpg and webp, or null for OpenCV's default (95 for JPEG)
   */
  public byte[] encode(Mat image, OutputFormat format, Integer quality) {
    if (turbo != null && format == OutputFormat.JPEG && TurboJpeg.encodes(image)) {
      try {
        return turbo.encode(image, quality == null ? OPENCV_JPEG_QUALITY : quality);
      } catch (TurboJpeg.Refused e) {
        // OpenCV says why, below.
      }
    }
    return ImageOps.encode(image, format, quality);
  }

  /** OpenCV's JPEG quality when none is asked for. */
  static final int OPENCV_JPEG_QUALITY = 95;

  @Override
  public void close() {
    if (turbo != null) {
      turbo.close();
    }
  }
}
