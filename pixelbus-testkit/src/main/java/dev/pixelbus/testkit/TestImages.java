package dev.pixelbus.testkit;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32;
import org.opencv.core.Mat;

/** The test images under src/test/resources/images, and helpers to check pixels. */
public final class TestImages {
  public static final String ASTRONAUT_PNG = "astronaut.png";
  public static final String ASTRONAUT_JPG = "astronaut.jpg";
  public static final String SHAPES_PNG = "shapes.png";
  public static final String GRAY16_PNG = "gray16.png";
  public static final String RGBA_PNG = "rgba.png";

  private TestImages() {
  }

  public static byte[] bytes(String name) {
    try (InputStream in = TestImages.class.getClassLoader().getResourceAsStream("images/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test image " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies a test image into {@code dir} and returns its path. */
  public static Path copy(String name, Path dir) {
    try {
      Path p = dir.resolve(name);
      Files.createDirectories(dir);
      try (InputStream in = TestImages.class.getClassLoader().getResourceAsStream("images/" + name)) {
        Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
      }
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The values Python's cv2 computed (scripts/golden.py). */
  public static JsonObject golden() {
    try (InputStream in = TestImages.class.getClassLoader().getResourceAsStream("golden.json")) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SHA-256 of a continuous Mat's pixel bytes, as numpy's tobytes() lays them out. */
  public static String sha256(Mat m) {
    byte[] data = new byte[(int) (m.total() * m.elemSize())];
    m.get(0, 0, data);
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A PNG whose header claims width × height, with nothing behind it: a decompression bomb's header. */
  public static byte[] pngClaiming(int width, int height) {
    ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12);
    b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
    byte[] ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(width)
        .putInt(height).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0).array();
    CRC32 crc = new CRC32();
    crc.update(ihdr);
    b.putInt(13).put(ihdr).putInt((int) crc.getValue());
    b.putInt(0).put("IEND".getBytes(StandardCharsets.US_ASCII)).putInt(0xAE426082);
    return b.array();
  }
}
