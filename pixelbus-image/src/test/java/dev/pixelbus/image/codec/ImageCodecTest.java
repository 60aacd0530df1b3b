package dev.pixelbus.image.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.image.natives.OpenCvNative;
import dev.pixelbus.image.ops.ImageHeader;
import dev.pixelbus.image.ops.ImageOps;
import dev.pixelbus.image.ops.OutputFormat;
import dev.pixelbus.testkit.TestImages;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * The system's libjpeg-turbo (TurboJPEG, SIMD) gives what OpenCV's own codec gives, pixel for pixel and
 * byte for byte: every test JPEG, and JPEGs made from it in every way that changes how a decoder works
 * (progressive, 4:4:4, gray, restart markers, each of EXIF's eight orientations, an XMP segment before the
 * EXIF one), decoded whole and at 1/2, 1/4 and 1/8; and every image encoded at several qualities. Skipped,
 * saying so, where the library is not installed (CI installs Debian's libturbojpeg0 first).
 */
class ImageCodecTest {
  private static ImageCodec turbo;
  private static final ImageCodec OPENCV = ImageCodec.openCv();

  @BeforeAll
  static void load() {
    OpenCvNative.load();
    if (Codecs.turboJpegAvailable()) {
      turbo = Codecs.forWorker(JpegCodec.TURBOJPEG);
    }
  }

  private static void needTurbo() {
    assumeTrue(turbo != null, "no system libturbojpeg here (Debian: libturbojpeg0): only OpenCV's codec to test");
  }

  private static byte[] encode(Mat m, int... params) {
    MatOfByte out = new MatOfByte();
    Imgcodecs.imencode(".jpg", m, out, new MatOfInt(params));
    try {
      return out.toArray();
    } finally {
      out.release();
    }
  }

  /** The JPEGs: the repository's, and variants of it made here. */
  private static Map<String, byte[]> jpegs() {
    byte[] astronaut = TestImages.bytes(TestImages.ASTRONAUT_JPG);
    Mat color = Imgcodecs.imdecode(new MatOfByte(astronaut), Imgcodecs.IMREAD_COLOR);
    Mat odd = new Mat();
    Imgproc.resize(color, odd, new Size(251, 177)); // sides that 2, 4 and 8 do not divide
    Mat gray = new Mat();
    Imgproc.cvtColor(color, gray, Imgproc.COLOR_BGR2GRAY);
    Map<String, byte[]> all = new LinkedHashMap<>();
    all.put("astronaut.jpg", astronaut);
    all.put("251x177 q90", encode(odd, Imgcodecs.IMWRITE_JPEG_QUALITY, 90));
    all.put("progressive", encode(odd, Imgcodecs.IMWRITE_JPEG_PROGRESSIVE, 1));
    all.put("4:4:4", encode(odd, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_444));
    all.put("4:2:2", encode(odd, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_422));
    all.put("gray", encode(gray));
    all.put("restart markers", encode(odd, Imgcodecs.IMWRITE_JPEG_RST_INTERVAL, 3));
    for (int o = 1; o <= 8; o++) {
      all.put("EXIF orientation " + o, withApp1(encode(odd), exif(o)));
    }
    all.put("XMP, then EXIF orientation 6", withApp1(withApp1(encode(odd), exif(6)), xmp()));
    for (Mat m : new Mat[] {color, odd, gray}) {
      m.release();
    }
    return all;
  }

  @Test
  void turboJpegDecodesAsOpenCvDoesAtEveryScale() {
    needTurbo();
    List<String> checked = new ArrayList<>();
    jpegs().forEach((name, jpeg) -> {
      ImageHeader header = ImageHeader.read(jpeg);
      for (int scale : new int[] {1, 2, 4, 8}) {
        Mat ours = turbo.decode(jpeg, header, false, scale);
        Mat theirs = OPENCV.decode(jpeg, header, false, scale);
        try {
          assertEquals(theirs.size(), ours.size(), name + " at 1/" + scale + ": size");
          assertEquals(theirs.type(), ours.type(), name + " at 1/" + scale + ": type");
          Mat diff = new Mat();
          Core.absdiff(ours, theirs, diff);
          assertEquals(0, Core.countNonZero(diff.reshape(1)), name + " at 1/" + scale + ": pixels differ from OpenCV's");
          diff.release();
          checked.add(name + " 1/" + scale);
        } finally {
          ours.release();
          theirs.release();
        }
      }
    });
    assertTrue(checked.size() >= 4 * 16, String.valueOf(checked));
  }

  @Test
  void turboJpegEncodesTheBytesOpenCvWrites() {
    needTurbo();
    Mat color = Imgcodecs.imdecode(new MatOfByte(TestImages.bytes(TestImages.ASTRONAUT_PNG)), Imgcodecs.IMREAD_COLOR);
    Mat gray = ImageOps.grayscale(color);
    try {
      for (Mat m : new Mat[] {color, gray}) {
        for (Integer quality : new Integer[] {null, 1, 50, 80, 100}) {
          assertArrayEquals(OPENCV.encode(m, OutputFormat.JPEG, quality), turbo.encode(m, OutputFormat.JPEG, quality),
              m.channels() + " channel(s), quality " + quality);
        }
      }
    } finally {
      color.release();
      gray.release();
    }
  }

  /**
   * A corrupt JPEG fails, or decodes, the same way on both codecs: seeded byte flips and cuts of the test
   * JPEG, each decoded whole and at 1/8 by both: the same refusal (415), or an image of the same size. The
   * pixels of a corrupt file that decodes may differ: libjpeg warns about the bad data and conceals it, and
   * the concealment is not the same in OpenCV's build (2.1.3, no SIMD) and Debian's (2.1.5, SIMD); a whole
   * file decodes the same (above).
   */
  @Test
  void aCorruptJpegFailsOrDecodesAlikeOnBothCodecs() {
    needTurbo();
    byte[] good = TestImages.bytes(TestImages.ASTRONAUT_JPG);
    Random random = new Random(23);
    int refused = 0;
    int decoded = 0;
    int differ = 0;
    for (int i = 0; i < 300; i++) {
      byte[] bad = Arrays.copyOf(good, good.length);
      for (int n = 1 + random.nextInt(6); n > 0; n--) {
        bad[2 + random.nextInt(bad.length - 2)] ^= (byte) (1 + random.nextInt(255));
      }
      if (i % 3 == 0) {
        bad = Arrays.copyOf(bad, bad.length - random.nextInt(bad.length / 2));
      }
      ImageHeader header;
      try {
        header = ImageHeader.read(bad);
      } catch (PixelbusException e) {
        continue; // refused before any decoder, the same on both paths
      }
      for (int scale : new int[] {1, 8}) {
        Object ours = outcome(turbo, bad, header, scale);
        Object theirs = outcome(OPENCV, bad, header, scale);
        assertEquals(kind(theirs), kind(ours), "mutation " + i + " at 1/" + scale);
        if (theirs instanceof Integer) {
          refused++;
        } else {
          decoded++;
          differ += theirs.equals(ours) ? 0 : 1;
        }
      }
    }
    assertTrue(refused > 0 && decoded > 0, refused + " refused, " + decoded + " decoded");
    System.out.printf("corrupt JPEGs: %d refused by both, %d decoded by both, %d of those with other pixels%n", refused,
        decoded, differ);
  }

  /** A refusal's code, or a decode's size (its pixels left out). */
  private static String kind(Object outcome) {
    return outcome instanceof Integer code ? "refused " + code : ((String) outcome).split(" ")[0];
  }

  /** 415, or the SHA-256 of the pixels. */
  private static Object outcome(ImageCodec codec, byte[] jpeg, ImageHeader header, int scale) {
    try {
      Mat m = codec.decode(jpeg, header, false, scale);
      try {
        return m.cols() + "x" + m.rows() + " " + TestImages.sha256(m);
      } finally {
        m.release();
      }
    } catch (PixelbusException e) {
      return e.failureCode();
    }
  }

  @Test
  void exifOrientationIsReadAsOpenCvReadsIt() {
    byte[] plain = TestImages.bytes(TestImages.ASTRONAUT_JPG);
    assertEquals(1, ExifOrientation.of(plain));
    for (int o = 1; o <= 8; o++) {
      assertEquals(o, ExifOrientation.of(withApp1(plain, exif(o))), "orientation " + o);
    }
    assertEquals(1, ExifOrientation.of(withApp1(withApp1(plain, exif(6)), xmp())),
        "OpenCV reads the first APP1 only: an XMP one before the EXIF one hides the orientation");
    assertEquals(1, ExifOrientation.of(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE1, 0, 4, 'E', 'x'}),
        "a cut segment is no orientation");
    assertTrue(ExifOrientation.swapsSides(6) && !ExifOrientation.swapsSides(3));
  }

  /** {@code jpeg} with an APP1 segment of {@code body} right after its start marker. */
  static byte[] withApp1(byte[] jpeg, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0xFF);
    out.write(0xD8);
    out.write(0xFF);
    out.write(0xE1);
    out.write((body.length + 2) >> 8);
    out.write((body.length + 2) & 0xFF);
    out.writeBytes(body);
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }

  /** An EXIF body, big-endian TIFF, whose IFD0 holds one entry: the orientation. */
  static byte[] exif(int orientation) {
    return new byte[] {'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0,
        (byte) orientation, 0, 0, 0, 0, 0, 0};
  }

  private static byte[] xmp() {
    byte[] head = "http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"/>".getBytes();
    return head;
  }
}
