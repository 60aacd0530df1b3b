package dev.pixelbus.image.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelbus.api.ErrorCode;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.image.natives.OpenCvNative;
import dev.pixelbus.image.worker.ImageProcessor;
import dev.pixelbus.testkit.TestImages;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

class ImageHeaderTest {

  @BeforeAll
  static void load() {
    OpenCvNative.load();
  }

  /** Encodes a real image with OpenCV, so each parser is checked against a real encoder's output. */
  private static byte[] encoded(String ext, int... params) {
    Mat m = ImageOps.decode(TestImages.bytes(TestImages.SHAPES_PNG), Imgcodecs.IMREAD_COLOR);
    MatOfByte out = new MatOfByte();
    Imgcodecs.imencode(ext, m, out, new MatOfInt(params));
    byte[] b = out.toArray();
    m.release();
    out.release();
    return b;
  }

  @Test
  void readsTheSizeOfEveryFormatOpenCvWrites() {
    for (String ext : new String[] {".png", ".jpg", ".webp", ".bmp", ".tiff", ".ppm"}) {
      ImageHeader h = ImageHeader.read(encoded(ext));
      assertEquals(240, h.width(), ext);
      assertEquals(180, h.height(), ext);
    }
    ImageHeader lossless = ImageHeader.read(encoded(".webp", Imgcodecs.IMWRITE_WEBP_QUALITY, 101));
    assertEquals(240, lossless.width());
    assertEquals(180, lossless.height());
  }

  @Test
  void readsTheTestImages() {
    ImageHeader h = ImageHeader.read(TestImages.bytes(TestImages.ASTRONAUT_JPG));
    assertEquals("jpeg", h.format());
    assertEquals(256, h.width());
    assertEquals(256, h.height());
    assertNull(ImageHeader.truncation(TestImages.bytes(TestImages.ASTRONAUT_JPG), h));
  }

  @Test
  void aBombHeaderIsReadWithoutDecoding() {
    ImageHeader h = ImageHeader.read(TestImages.pngClaiming(50_000, 50_000));
    assertEquals(2_500_000_000L, h.pixels());
    ImageHeader huge = ImageHeader.read(TestImages.pngClaiming(-1, -1)); // 4294967295 as unsigned
    assertEquals(4_294_967_295L, huge.width());
  }

  @Test
  void aTruncatedJpegIsDetected() {
    byte[] jpg = TestImages.bytes(TestImages.ASTRONAUT_JPG);
    byte[] half = Arrays.copyOf(jpg, jpg.length / 2);
    ImageHeader h = ImageHeader.read(half);
    assertNotNull(ImageHeader.truncation(half, h));
  }

  @Test
  void aTruncatedWebpIsDetected() {
    byte[] webp = encoded(".webp");
    byte[] cut = Arrays.copyOf(webp, webp.length - 10);
    assertTrue(ImageHeader.truncation(cut, ImageHeader.read(cut)).contains("truncated WebP"));
  }

  @Test
  void pnmCommentsAreSkipped() {
    byte[] pnm = "P6\n# made by hand\n640 # width\n480\n255\n".getBytes(StandardCharsets.US_ASCII);
    ImageHeader h = ImageHeader.read(pnm);
    assertEquals(640, h.width());
    assertEquals(480, h.height());
  }

  @Test
  void bmpWithNegativeHeightIsTopDown() {
    ByteBuffer b = ByteBuffer.allocate(54).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 'B').put((byte) 'M').putInt(54).putInt(0).putInt(54).putInt(40).putInt(300).putInt(-200);
    ImageHeader h = ImageHeader.read(b.array());
    assertEquals(300, h.width());
    assertEquals(200, h.height());
  }

  @Test
  void textAndEmptyFilesAreRefused() {
    PixelbusException text = assertThrows(PixelbusException.class,
        () -> ImageHeader.read("hello, this is not an image".getBytes(StandardCharsets.UTF_8)));
    assertEquals(ErrorCode.UNSUPPORTED_MEDIA.code, text.failureCode());
    assertTrue(text.getMessage().contains("not a supported image"), text.getMessage());
    assertEquals(ErrorCode.UNSUPPORTED_MEDIA.code, assertThrows(PixelbusException.class, () -> ImageHeader.read(new byte[0])).failureCode());
    byte[] gif = "GIF89a\u0001\u0000\u0001\u0000".getBytes(StandardCharsets.ISO_8859_1);
    assertEquals(ErrorCode.UNSUPPORTED_MEDIA.code, assertThrows(PixelbusException.class, () -> ImageHeader.read(gif)).failureCode());
  }

  @Test
  void headersCutShortAreRefused() {
    byte[] png = TestImages.bytes(TestImages.SHAPES_PNG);
    PixelbusException e = assertThrows(PixelbusException.class, () -> ImageHeader.read(Arrays.copyOf(png, 12)));
    assertEquals(ErrorCode.UNSUPPORTED_MEDIA.code, e.failureCode());
    byte[] jpg = TestImages.bytes(TestImages.ASTRONAUT_JPG);
    assertEquals(ErrorCode.UNSUPPORTED_MEDIA.code,
        assertThrows(PixelbusException.class, () -> ImageHeader.read(Arrays.copyOf(jpg, 30))).failureCode());
  }

  @Test
  void headersThatOpenCvWouldReadOtherwiseAreRefused() {
    // JPEG: FF 00 with a "length" that hides a frame header libjpeg would find byte by byte.
    byte[] hidden = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x00, 0x00, 0x08, (byte) 0xFF, (byte) 0xC0, 0x00, 0x0B,
        0x08, (byte) 0x80, 0x00, (byte) 0x80, 0x00, 0x01, 0x01, 0x11, 0x00, (byte) 0xFF, (byte) 0xD9};
    PixelbusException jpeg = assertThrows(PixelbusException.class, () -> ImageHeader.read(hidden));
    assertEquals(ErrorCode.UNSUPPORTED_MEDIA.code, jpeg.failureCode());
    assertTrue(jpeg.getMessage().contains("marker FF 00"), jpeg.getMessage());

    // TIFF: the first of repeated width and length tags counts (libtiff ignores the repeats).
    ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 4 * 12 + 4).order(ByteOrder.LITTLE_ENDIAN);
    tiff.put(new byte[] {'I', 'I', 42, 0}).putInt(8).putShort((short) 4);
    for (int[] tag : new int[][] {{256, 32768}, {257, 32768}, {256, 1}, {257, 1}}) {
      tiff.putShort((short) tag[0]).putShort((short) 4).putInt(1).putInt(tag[1]);
    }
    ImageHeader t = ImageHeader.read(tiff.array());
    assertEquals(32768, t.width());
    assertEquals(32768, t.height());
    // ... and a width given as LONG8 (its value kept elsewhere) is refused.
    ByteBuffer long8 = ByteBuffer.allocate(8 + 2 + 2 * 12 + 4).order(ByteOrder.LITTLE_ENDIAN);
    long8.put(new byte[] {'I', 'I', 42, 0}).putInt(8).putShort((short) 2);
    long8.putShort((short) 256).putShort((short) 16).putInt(1).putInt(100);
    long8.putShort((short) 257).putShort((short) 3).putInt(1).putInt(1);
    assertEquals(ErrorCode.UNSUPPORTED_MEDIA.code,
        assertThrows(PixelbusException.class, () -> ImageHeader.read(long8.array())).failureCode());

    // PNM: a comment ends at CR as well as LF, as OpenCV reads it.
    ImageHeader pnm = ImageHeader.read("P4\n#\r32768 32768\n1 1\n".getBytes(StandardCharsets.US_ASCII));
    assertEquals(32768, pnm.width());
    assertEquals(32768, pnm.height());
  }

  @Test
  void sidesOverOpenCvsLimitAre413NotAnOverflow() {
    ImageProcessor p = new ImageProcessor(null, new ImageProcessor.Limits(100_000_000L, 1L << 30), () -> null);
    byte[] wide = "P6\n2000000 1\n255\n".getBytes(StandardCharsets.US_ASCII); // 2 M pixels, one row of 2 M
    PixelbusException e = assertThrows(PixelbusException.class, () -> p.guard(wide));
    assertEquals(ErrorCode.TOO_LARGE.code, e.failureCode());
    assertTrue(e.getMessage().contains("at most 1048576 pixels a side"), e.getMessage());
    ByteBuffer huge = ByteBuffer.allocate(8 + 2 + 2 * 12 + 4).order(ByteOrder.LITTLE_ENDIAN);
    huge.put(new byte[] {'I', 'I', 42, 0}).putInt(8).putShort((short) 2);
    huge.putShort((short) 256).putShort((short) 4).putInt(1).putInt(-1); // 4294967295
    huge.putShort((short) 257).putShort((short) 4).putInt(1).putInt(-1);
    assertEquals(ErrorCode.TOO_LARGE.code, assertThrows(PixelbusException.class, () -> p.guard(huge.array())).failureCode());
  }

  @Test
  void aResultTooWideForItsFormatIsTheCallersChoiceNotAnInternalError() {
    Mat wide = new Mat(10, 20_000, org.opencv.core.CvType.CV_8UC1);
    try {
      PixelbusException e = assertThrows(PixelbusException.class, () -> ImageOps.checkEncodable(wide, OutputFormat.WEBP));
      assertEquals(ErrorCode.BAD_REQUEST.code, e.failureCode());
      assertTrue(e.getMessage().contains("choose png"), e.getMessage());
      ImageOps.checkEncodable(wide, OutputFormat.JPEG);
      ImageOps.checkEncodable(wide, OutputFormat.PNG);
    } finally {
      wide.release();
    }
  }
}
