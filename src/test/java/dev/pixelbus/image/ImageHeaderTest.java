package dev.pixelbus.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelbus.TestImages;
import dev.pixelbus.bus.ErrorCode;
import dev.pixelbus.bus.PixelbusException;
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
    assertEquals(ErrorCode.UNSUPPORTED_MEDIA, text.code());
    assertTrue(text.getMessage().contains("not a supported image"), text.getMessage());
    assertEquals(ErrorCode.UNSUPPORTED_MEDIA, assertThrows(PixelbusException.class, () -> ImageHeader.read(new byte[0])).code());
    byte[] gif = "GIF89a\u0001\u0000\u0001\u0000".getBytes(StandardCharsets.ISO_8859_1);
    assertEquals(ErrorCode.UNSUPPORTED_MEDIA, assertThrows(PixelbusException.class, () -> ImageHeader.read(gif)).code());
  }

  @Test
  void headersCutShortAreRefused() {
    byte[] png = TestImages.bytes(TestImages.SHAPES_PNG);
    PixelbusException e = assertThrows(PixelbusException.class, () -> ImageHeader.read(Arrays.copyOf(png, 12)));
    assertEquals(ErrorCode.UNSUPPORTED_MEDIA, e.code());
    byte[] jpg = TestImages.bytes(TestImages.ASTRONAUT_JPG);
    assertEquals(ErrorCode.UNSUPPORTED_MEDIA,
        assertThrows(PixelbusException.class, () -> ImageHeader.read(Arrays.copyOf(jpg, 30))).code());
  }
}
