package dev.pixelbus.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelbus.common.UrlSignature;
import dev.pixelbus.testkit.TestCli;
import dev.pixelbus.testkit.TestImages;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.imgcodecs.Imgcodecs;

/** The one-shot commands, run as a user runs them, on real folders. */
class CommandsTest {
  @TempDir
  Path tmp;

  @Test
  void tilesFollowTheCoursesRuleAndKeepEveryPixel() {
    Path image = TestImages.copy(TestImages.SHAPES_PNG, tmp);
    TestCli.Result r = TestCli.run(new TilesCommand(), image.toString(), tmp.resolve("tiles").toString(),
        "--grid", "3x5");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("15 tiles of 48x60"), r.out());
    Mat src = Imgcodecs.imread(image.toString());
    Mat tile = Imgcodecs.imread(tmp.resolve("tiles/shapes_2_4.png").toString());
    Mat expected = src.submat(new Rect(4 * 48, 2 * 60, 48, 60));
    Mat diff = new Mat();
    Core.absdiff(tile, expected, diff);
    assertEquals(0, Core.countNonZero(diff.reshape(1)), "row 2, column 4, pixel for pixel");
    for (Mat m : new Mat[] {src, tile, expected, diff}) {
      m.release();
    }
    assertEquals(2,
        TestCli.run(new TilesCommand(), tmp.resolve("missing.png").toString(), tmp.resolve("t").toString()).code());
    // A format pixelbus reads but does not write (BMP) gives PNG tiles, as batch does.
    Mat shapes = Imgcodecs.imread(image.toString());
    Imgcodecs.imwrite(tmp.resolve("shapes.bmp").toString(), shapes);
    shapes.release();
    TestCli.Result bmp = TestCli.run(new TilesCommand(), tmp.resolve("shapes.bmp").toString(), tmp.resolve("bmp").toString(),
        "--grid", "2x2");
    assertEquals(0, bmp.code(), bmp.out());
    assertTrue(Files.exists(tmp.resolve("bmp/shapes_1_1.png")));
  }

  private static String sha256Of(Path png) {
    Mat m = Imgcodecs.imread(png.toString(), Imgcodecs.IMREAD_UNCHANGED);
    try {
      return TestImages.sha256(m);
    } finally {
      m.release();
    }
  }

  @Test
  void imageRunsEachNewOperationAndAPipelineOfSteps() throws Exception {
    Path astro = TestImages.copy(TestImages.ASTRONAUT_PNG, tmp.resolve("in"));
    JsonObject golden = TestImages.golden().getJsonObject("images").getJsonObject(TestImages.ASTRONAUT_PNG)
        .getJsonObject("geometry");
    TestCli.Result resize = TestCli.run(new ImageCommand(), "resize", astro.toString(), "-o", tmp.resolve("r.png").toString(),
        "-p", "width=200");
    assertEquals(0, resize.code(), resize.err());
    assertEquals(200, new JsonObject(resize.out()).getInteger("outputWidth"));
    assertEquals(golden.getJsonObject("resize width 200").getString("sha256"), sha256Of(tmp.resolve("r.png")));

    TestCli.Result piped = TestCli.run(new ImageCommand(), "pipeline", astro.toString(), "-o", tmp.resolve("p.png").toString(),
        "--step", "grayscale", "--step", "resize:width=200", "--step", "{\"op\":\"threshold\",\"value\":127}");
    assertEquals(0, piped.code(), piped.err());
    assertEquals(3, new JsonObject(piped.out()).getJsonObject("timings").getJsonArray("steps").size());
    assertEquals(golden.getJsonObject("grayscale, resize width 200, threshold 127").getString("sha256"),
        sha256Of(tmp.resolve("p.png")));

    TestCli.Result face = TestCli.run(new ImageCommand(), "facecrop", astro.toString(), "-o", tmp.resolve("f.png").toString());
    assertEquals(0, face.code(), face.err());
    assertEquals(53, new JsonObject(face.out()).getJsonObject("face").getInteger("w"));

    TestCli.Result bad = TestCli.run(new ImageCommand(), "pipeline", astro.toString(), "--step", "grayscale", "--step", "emboss");
    assertEquals(1, bad.code());
    assertTrue(bad.err().contains("400 step 1 (emboss): unknown op 'emboss'"), bad.err());
  }

  /** An operation added to the table alone reaches the command line: image, batch's options, the help. */
  @Test
  void sharpenFromTheTableOnTheCommandLine() throws Exception {
    Path in = tmp.resolve("in");
    Path astro = TestImages.copy(TestImages.ASTRONAUT_PNG, in);
    TestImages.copy(TestImages.SHAPES_PNG, in);
    TestCli.Result one = TestCli.run(new ImageCommand(), "sharpen", astro.toString(), "-o", tmp.resolve("s.png").toString(),
        "-p", "sigma=2.5", "-p", "amount=0.6");
    assertEquals(0, one.code(), one.err());
    assertEquals(geometry(TestImages.ASTRONAUT_PNG, "sharpen sigma 2.5 amount 0.6"), sha256Of(tmp.resolve("s.png")));
    // batch's --sigma and --amount are the table's parameters, made into options.
    TestCli.Result batch = TestCli.run(new BatchCommand(), in.toString(), tmp.resolve("out").toString(), "--op", "sharpen",
        "--sigma", "0.8", "--amount", "3", "--workers", "2");
    assertEquals(0, batch.code(), batch.err());
    for (String name : new String[] {TestImages.ASTRONAUT_PNG, TestImages.SHAPES_PNG}) {
      assertEquals(geometry(name, "sharpen sigma 0.8 amount 3"), sha256Of(tmp.resolve("out").resolve(name)), name);
    }
    TestCli.Result bad = TestCli.run(new BatchCommand(), in.toString(), tmp.resolve("o").toString(), "--op", "sharpen",
        "--sigma", "0");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("sigma must be above 0 and at most 100, not 0"), bad.err());
    TestCli.Result help = TestCli.run(new ImageCommand(), "--help");
    assertTrue(help.out().contains("  sharpen    unsharp mask") && help.out().contains("      amount "), help.out());
    TestCli.Result batchHelp = TestCli.run(new BatchCommand(), "--help");
    String flat = batchHelp.out().replaceAll("\\s+", " ");
    assertTrue(flat.contains("--amount=NUMBER") && flat.contains("blur, sharpen, facecrop, pipeline (default: adaptive)"), flat);
  }

  private static String geometry(String image, String name) {
    return TestImages.golden().getJsonObject("images").getJsonObject(image).getJsonObject("geometry").getJsonObject(name)
        .getString("sha256");
  }

  @Test
  void batchRunsAPipelineOnEveryFile() throws Exception {
    Path in = tmp.resolve("in");
    TestImages.copy(TestImages.ASTRONAUT_PNG, in);
    TestImages.copy(TestImages.SHAPES_PNG, in);
    TestCli.Result ok = TestCli.run(new BatchCommand(), in.toString(), tmp.resolve("out").toString(), "--op", "pipeline",
        "--steps", "[\"grayscale\",{\"op\":\"resize\",\"width\":200},{\"op\":\"threshold\",\"value\":127}]",
        "--workers", "2");
    assertEquals(0, ok.code(), ok.err());
    for (String name : new String[] {TestImages.ASTRONAUT_PNG, TestImages.SHAPES_PNG}) {
      assertEquals(TestImages.golden().getJsonObject("images").getJsonObject(name).getJsonObject("geometry")
          .getJsonObject("grayscale, resize width 200, threshold 127").getString("sha256"), sha256Of(tmp.resolve("out").resolve(name)),
          name);
    }
    // In bytes mode (as across a cluster) the steps travel with the chunk and give the same pixels.
    TestCli.Result bytes = TestCli.run(new BatchCommand(), in.toString(), tmp.resolve("bytes").toString(), "--op", "pipeline",
        "--step", "grayscale", "--step", "resize:width=200", "--step", "threshold:value=127", "--mode", "bytes");
    assertEquals(0, bytes.code(), bytes.err());
    for (String name : new String[] {TestImages.ASTRONAUT_PNG, TestImages.SHAPES_PNG}) {
      assertEquals(sha256Of(tmp.resolve("out").resolve(name)), sha256Of(tmp.resolve("bytes").resolve(name)), name);
    }
    TestCli.Result bad = TestCli.run(new BatchCommand(), in.toString(), tmp.resolve("o").toString(), "--op", "pipeline",
        "--step", "blur:ksize=4");
    assertEquals(2, bad.code(), "checked before any file is read");
    assertTrue(bad.err().contains("step 0 (blur): ksize must be odd"), bad.err());
  }

  @Test
  void batchSummarizesAndItsExitCodeSaysWhetherAnyFailed() throws Exception {
    Path in = tmp.resolve("in");
    TestImages.copy(TestImages.ASTRONAUT_JPG, in);
    TestImages.copy(TestImages.SHAPES_PNG, in);
    TestCli.Result ok = TestCli.run(new BatchCommand(), in.toString(), tmp.resolve("out").toString(), "--op", "adaptive", "--method",
        "gaussian", "--block-size", "11", "-c", "2", "--workers", "2", "--json", tmp.resolve("summary.json").toString());
    assertEquals(0, ok.code());
    assertTrue(ok.out().startsWith("images: 2, failed: 0, seconds: "), ok.out());
    assertTrue(Files.exists(tmp.resolve("out/astronaut.jpg")));
    assertEquals(2, new JsonObject(Files.readString(tmp.resolve("summary.json"))).getInteger("images"));

    byte[] jpg = TestImages.bytes(TestImages.ASTRONAUT_JPG);
    Files.write(in.resolve("broken.jpg"), Arrays.copyOf(jpg, 100));
    TestCli.Result some = TestCli.run(new BatchCommand(), in.toString(), tmp.resolve("out2").toString(), "--op", "grayscale",
        "--format", "png");
    assertEquals(1, some.code());
    assertTrue(some.out().contains("broken.jpg  415  "), some.out());
    assertTrue(Files.exists(tmp.resolve("out2/shapes.png")), "the good files were done");

    assertEquals(2,
        TestCli.run(new BatchCommand(), tmp.resolve("nope").toString(), tmp.resolve("o").toString()).code());
    Files.writeString(tmp.resolve("file"), "in the way");
    assertEquals(2, TestCli.run(new BatchCommand(), in.toString(), tmp.resolve("file/o").toString()).code());
    assertEquals(2,
        TestCli.run(new BatchCommand(), in.toString(), tmp.resolve("o").toString(), "--block-size", "4").code());
  }

  @Test
  void batchInBytesModeWritesWhatPathsModeWritesAndRepeatPrintsEachRun() throws Exception {
    Path in = tmp.resolve("in");
    TestImages.copy(TestImages.ASTRONAUT_JPG, in);
    TestImages.copy(TestImages.SHAPES_PNG, in);
    assertEquals(0, TestCli.run(new BatchCommand(), in.toString(), tmp.resolve("paths").toString(), "--mode", "paths").code());
    TestCli.Result bytes = TestCli.run(new BatchCommand(), in.toString(), tmp.resolve("bytes").toString(), "--mode", "bytes",
        "--workers", "1", "--in-flight", "2", "--chunk-timeout", "60000", "--repeat", "2");
    assertEquals(0, bytes.code(), bytes.out());
    assertTrue(bytes.out().contains("run 2: "), bytes.out());
    assertTrue(bytes.out().contains("median of 2 runs: "), bytes.out());
    for (String n : List.of("astronaut.jpg", "shapes.png")) {
      assertArrayEquals(Files.readAllBytes(tmp.resolve("paths").resolve(n)), Files.readAllBytes(tmp.resolve("bytes").resolve(n)), n);
    }
    String out = tmp.resolve("o").toString();
    assertEquals(2, TestCli.run(new BatchCommand(), in.toString(), out, "--mode", "carrier-pigeon").code());
    assertEquals(2, TestCli.run(new BatchCommand(), in.toString(), out, "--cluster", "--workers", "0", "--mode", "paths").code(),
        "no worker can read this machine's files");
    assertEquals(2, TestCli.run(new BatchCommand(), in.toString(), out, "--chunk-timeout", "0").code());
  }

  @Test
  void signPrintsTheUrlTheServerAcceptsWithTheConfiguredKeyAndRefusesWithoutOne() {
    String target = "/v1/images/resize?url=https%3A%2F%2Fexample.com%2Fa.jpg&width=300";
    TestCli.Result none = TestCli.run(new SignCommand(), target);
    assertEquals(2, none.code(), none.out());
    assertTrue(none.err().contains("http.sources.signingKeys"), none.err());
    String key = "commands-test-signing-key";
    System.setProperty("pixelbus.http.sources.signingKeys", key + ",an-older-key-still-accepted");
    try {
      TestCli.Result signed = TestCli.run(new SignCommand(), target, "--base", "https://img.example.com/");
      assertEquals(0, signed.code(), signed.err());
      String url = signed.out().strip();
      assertTrue(url.startsWith("https://img.example.com" + target + "&sig="), url);
      assertEquals(null, UrlSignature.problem(List.of(key), url.substring("https://img.example.com".length())));
      assertTrue(UrlSignature.problem(List.of("another-key-altogether"), url.substring(23)) != null);
      assertTrue(!signed.out().contains(key) && !signed.err().contains(key), "the key is not printed");
      assertEquals(2, TestCli.run(new SignCommand(), "/v1/images/resize?width=3").code(), "no url= to sign");
      assertEquals(2, TestCli.run(new SignCommand(), target + "&sig=abc").code(), "signed already");
    } finally {
      System.clearProperty("pixelbus.http.sources.signingKeys");
    }
  }
}
