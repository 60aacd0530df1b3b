package dev.pixelbus.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pixelbus.image.ImageModule;
import dev.pixelbus.image.codec.Codecs;
import dev.pixelbus.image.codec.JpegCodec;
import dev.pixelbus.testkit.TestImages;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Mutated images over HTTP, on each JPEG path (OpenCV's codec, and the system's libjpeg-turbo with
 * shrink-on-load): byte flips, cuts, spliced runs and extreme header fields of a JPEG and a PNG, each
 * sent to resize (16 wide: the shrink-on-load path for a JPEG), grayscale and sharpen. Every answer is
 * 200, 413 or 415, never a 5xx and never a hang, and the server serves a good image afterwards. Seeded, so
 * a failure is the same on every run.
 */
@ExtendWith(VertxExtension.class)
@Timeout(300)
class HttpBadImagesTest {
  private static final int MUTATIONS = 150;
  private static final Set<Integer> ACCEPTED = Set.of(200, 413, 415);
  private static final List<String> ROUTES = List.of("/v1/images/resize?width=16&format=jpg", "/v1/images/grayscale",
      "/v1/images/sharpen");

  @TempDir
  Path tmp;

  @ParameterizedTest
  @EnumSource(value = JpegCodec.class, names = {"OPENCV", "TURBOJPEG"})
  void mutatedImagesGetOnly200413Or415(JpegCodec codec, Vertx vertx) {
    if (codec == JpegCodec.TURBOJPEG) {
      assumeTrue(Codecs.turboJpegAvailable(), "no system libturbojpeg here (Debian: libturbojpeg0)");
    }
    JsonObject conf = new JsonObject().put("image", new JsonObject().put("workers", 2).put("jpegCodec", codec.label())
        .put("maxPixels", 20_000_000L)
        .put("inputRoots", new JsonArray().add(tmp.toString())).put("outputRoot", tmp.resolve("out").toString()));
    ImageModule.deploy(vertx, conf).await();
    HttpApiVerticle api = new HttpApiVerticle(new HttpSettings(true, "127.0.0.1", 0, 4 << 20, tmp.resolve("uploads"),
        60_000, 60_000), true);
    vertx.deployVerticle(api).await();
    WebClient web = WebClient.create(vertx);
    Random random = new Random(22_23);
    Map<Integer, Integer> codes = new TreeMap<>();
    for (String name : List.of(TestImages.ASTRONAUT_JPG, TestImages.ASTRONAUT_PNG)) {
      byte[] good = TestImages.bytes(name);
      for (int i = 0; i < MUTATIONS; i++) {
        byte[] bad = mutate(good, random);
        String route = ROUTES.get(i % ROUTES.size());
        HttpResponse<Buffer> r = web.post(api.actualPort(), "127.0.0.1", route).sendBuffer(Buffer.buffer(bad)).await();
        codes.merge(r.statusCode(), 1, Integer::sum);
        assertTrue(ACCEPTED.contains(r.statusCode()), codec + ", " + name + " mutation " + i + " on " + route + ": "
            + r.statusCode() + " " + r.bodyAsString());
      }
    }
    assertTrue(codes.getOrDefault(200, 0) > 0 && codes.getOrDefault(415, 0) > 0, "both kinds seen: " + codes);
    HttpResponse<Buffer> after = web.post(api.actualPort(), "127.0.0.1", ROUTES.get(0))
        .sendBuffer(Buffer.buffer(TestImages.bytes(TestImages.ASTRONAUT_JPG))).await();
    assertEquals(200, after.statusCode(), "the server goes on serving: " + codes);
    assertEquals("image/jpeg", after.getHeader("Content-Type"));
  }

  /** One mutation of a few kinds, chosen by the seeded random. */
  static byte[] mutate(byte[] good, Random random) {
    byte[] b = Arrays.copyOf(good, good.length);
    switch (random.nextInt(5)) {
      case 0 -> { // a few bytes flipped anywhere
        for (int n = 1 + random.nextInt(8); n > 0; n--) {
          b[random.nextInt(b.length)] ^= (byte) (1 + random.nextInt(255));
        }
      }
      case 1 -> b = Arrays.copyOf(b, 1 + random.nextInt(b.length - 1)); // cut short
      case 2 -> { // a run of the file copied over another place
        int len = 1 + random.nextInt(512);
        int from = random.nextInt(b.length - len);
        System.arraycopy(good, from, b, random.nextInt(b.length - len), len);
      }
      case 3 -> { // the header's own bytes (sizes, markers, lengths) set to extremes
        int at = random.nextInt(Math.min(b.length, 400));
        b[at] = random.nextBoolean() ? (byte) 0xFF : 0;
        b[Math.min(b.length - 1, at + 1)] = random.nextBoolean() ? (byte) 0xFF : 0;
      }
      default -> { // bytes inserted in the middle
        int at = random.nextInt(b.length);
        byte[] junk = new byte[1 + random.nextInt(64)];
        random.nextBytes(junk);
        byte[] out = new byte[b.length + junk.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(junk, 0, out, at, junk.length);
        System.arraycopy(b, at, out, at + junk.length, b.length - at);
        b = out;
      }
    }
    return b;
  }
}
