package dev.pixelbus.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelbus.api.Addresses;
import dev.pixelbus.api.ErrorCode;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.image.ops.Tiles;
import dev.pixelbus.testkit.TestImages;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

/** {@code pixelbus.image.batch} end to end: folders of real images, bad files among good ones, progress. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BatchBusTest {
  private static final JsonObject GOLDEN = TestImages.golden().getJsonObject("images");

  @TempDir
  Path tmp;
  Vertx vertx;
  ImageServiceFixture images;

  @BeforeEach
  void deploy(Vertx vertx) {
    this.vertx = vertx;
    images = ImageServiceFixture.deploy(vertx, tmp, c -> c.put("maxBatches", 1));
  }

  private JsonObject batch(JsonObject request) {
    return images.client.batch(request, 60_000).await();
  }

  private static Set<String> names(Path dir) throws Exception {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /** "mixed": three good images, a truncated JPEG and a text file. */
  private Path mixedFolder() throws Exception {
    Path in = images.in.resolve("mixed");
    for (String n : List.of(TestImages.ASTRONAUT_PNG, TestImages.ASTRONAUT_JPG, TestImages.SHAPES_PNG)) {
      TestImages.copy(n, in);
    }
    byte[] jpg = TestImages.bytes(TestImages.ASTRONAUT_JPG);
    Files.write(in.resolve("cut.jpg"), Arrays.copyOf(jpg, jpg.length / 3));
    Files.writeString(in.resolve("notes.txt"), "not an image");
    return in;
  }

  @Test
  void aFolderWithBadFilesAmongGoodOnes() throws Exception {
    Path in = mixedFolder();
    Files.writeString(in.resolve(".hidden.png"), "skipped");
    Files.createDirectories(in.resolve("subfolder"));
    List<JsonObject> progress = new ArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.IMAGE_BATCH_PROGRESS, m -> progress.add(m.body())).completion().await();

    JsonObject reply = batch(new JsonObject().put("inputDir", "mixed").put("outputDir", "adaptive").put("op", "adaptive")
        .put("params", new JsonObject().put("method", "gaussian").put("blockSize", 11).put("c", 2)));

    assertEquals(5, reply.getInteger("images"), "hidden files and folders are not images of the batch");
    assertEquals(3, reply.getInteger("succeeded"));
    assertEquals(2, reply.getInteger("failedCount"));
    Set<String> failed = new TreeSet<>();
    reply.getJsonArray("failed").forEach(f -> {
      JsonObject j = (JsonObject) f;
      assertEquals(ErrorCode.UNSUPPORTED_MEDIA.code, j.getInteger("code"), j.encode());
      failed.add(j.getString("file"));
    });
    assertEquals(Set.of("cut.jpg", "notes.txt"), failed);
    assertEquals(Set.of("astronaut.jpg", "astronaut.png", "shapes.png"), names(images.out.resolve("adaptive")),
        "outputs keep the inputs' names and extensions; nothing else, no temporary files");
    Mat out = Imgcodecs.imread(images.out.resolve("adaptive/shapes.png").toString(), Imgcodecs.IMREAD_UNCHANGED);
    assertEquals(GOLDEN.getJsonObject(TestImages.SHAPES_PNG).getJsonObject("adaptive").getJsonObject("gaussian")
        .getString("sha256"), TestImages.sha256(out), "the batch's output is cv2's, pixel for pixel");
    out.release();
    assertTrue(reply.getDouble("seconds") > 0);
    assertTrue(reply.getDouble("imagesPerSecond") > 0);
    JsonObject last = progress.get(progress.size() - 1);
    assertTrue(last.getBoolean("finished"), last.encode());
    assertEquals(reply.getString("jobId"), last.getString("jobId"));
    assertEquals(5, last.getInteger("done"));
  }

  /**
   * Bytes mode, as a cluster runs it, here in one JVM: the batch reads the files, the workers get
   * the images in the messages, and the batch writes the results. The same files, the same failures.
   */
  @Test
  void bytesModeWritesTheSameFilesAsPathsModeAndListsTheSameFailures() throws Exception {
    Path in = mixedFolder();
    Path outside = Files.writeString(tmp.resolve("secret.png"), "outside the input roots");
    Files.createSymbolicLink(in.resolve("link.png"), outside);
    JsonObject request = new JsonObject().put("inputDir", "mixed").put("op", "adaptive");

    JsonObject byPath = batch(request.copy().put("outputDir", "by-path").put("mode", "paths"));
    JsonObject byBytes = batch(request.copy().put("outputDir", "by-bytes").put("mode", "bytes"));

    assertEquals(6, byBytes.getInteger("images"));
    assertEquals(3, byBytes.getInteger("succeeded"));
    assertEquals(failures(byPath), failures(byBytes));
    assertEquals(Set.of("cut.jpg=415", "link.png=403", "notes.txt=415"), failures(byBytes));
    assertEquals(Set.of("astronaut.jpg", "astronaut.png", "shapes.png"), names(images.out.resolve("by-bytes")),
        "no temporary files left");
    assertEquals(names(images.out.resolve("by-path")), names(images.out.resolve("by-bytes")));
    for (String n : names(images.out.resolve("by-path"))) {
      assertTrue(Arrays.equals(Files.readAllBytes(images.out.resolve("by-path").resolve(n)),
          Files.readAllBytes(images.out.resolve("by-bytes").resolve(n))), n + " is the same byte for byte");
    }
    assertTrue(byBytes.getJsonObject("timings").getDouble("read") > 0, "the batch read the files itself");
    assertEquals(ErrorCode.BAD_REQUEST, failure(request.copy().put("outputDir", "x").put("mode", "carrier-pigeon")));
  }

  private static Set<String> failures(JsonObject reply) {
    return reply.getJsonArray("failed").stream().map(f -> (JsonObject) f)
        .map(f -> f.getString("file") + "=" + f.getInteger("code")).collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void manyTilesAcrossSeveralPagesAndAFormatForAll() throws Exception {
    Path in = Files.createDirectories(images.in.resolve("tiles"));
    Mat src = Imgcodecs.imread(TestImages.copy(TestImages.ASTRONAUT_PNG, tmp).toString());
    List<Tiles.Tile> tiles = Tiles.grid(src.cols(), src.rows(), 15, 20);
    for (Tiles.Tile t : tiles) {
      Mat v = Tiles.view(src, t);
      Imgcodecs.imwrite(in.resolve(t.name("astro", ".png")).toString(), v);
      v.release();
    }
    src.release();
    JsonObject reply = batch(new JsonObject().put("inputDir", "tiles").put("outputDir", "tiles-jpg").put("op", "threshold")
        .put("params", new JsonObject().put("otsu", true)).put("format", "jpg").put("quality", 90).put("workers", 2));
    assertEquals(300, reply.getInteger("images"));
    assertEquals(0, reply.getInteger("failedCount"));
    Set<String> out = names(images.out.resolve("tiles-jpg"));
    assertEquals(300, out.size());
    assertTrue(out.contains("astro_14_19.jpg"), "the last tile, row 14, column 19");
  }

  @Test
  void anEmptyFolderIsABatchOfNothing() throws Exception {
    Files.createDirectories(images.in.resolve("empty"));
    JsonObject reply = batch(new JsonObject().put("inputDir", "empty").put("outputDir", "none").put("op", "grayscale"));
    assertEquals(0, reply.getInteger("images"));
    assertEquals(0, reply.getInteger("failedCount"));
  }

  private ErrorCode failure(JsonObject request) {
    Future<JsonObject> f = images.client.batch(request, 60_000);
    return ErrorCode.of(org.junit.jupiter.api.Assertions.assertThrows(PixelbusException.class, f::await).failureCode());
  }

  @Test
  void aMissingFolderAnUnwritableOutputAndBadParametersFailBeforeAnythingRuns() throws Exception {
    Files.createDirectories(images.in.resolve("some"));
    TestImages.copy(TestImages.SHAPES_PNG, images.in.resolve("some"));
    Files.createDirectories(images.out);
    Files.writeString(images.out.resolve("blocked"), "a file where the output folder should be");
    assertEquals(ErrorCode.NOT_FOUND, failure(new JsonObject().put("inputDir", "nope").put("outputDir", "x")));
    assertEquals(ErrorCode.FORBIDDEN, failure(new JsonObject().put("inputDir", "some").put("outputDir", "blocked/x")));
    assertEquals(ErrorCode.FORBIDDEN, failure(new JsonObject().put("inputDir", "../").put("outputDir", "x")));
    assertEquals(ErrorCode.BAD_REQUEST, failure(new JsonObject().put("inputDir", "some").put("outputDir", "x")
        .put("op", "adaptive").put("params", new JsonObject().put("blockSize", 4))));
    assertEquals(ErrorCode.BAD_REQUEST, failure(new JsonObject().put("inputDir", "some").put("outputDir", "x")
        .put("params", new JsonObject().put("output", "y.png"))));
    assertEquals(ErrorCode.BAD_REQUEST, failure(new JsonObject().put("inputDir", "some").put("outputDir", "x")
        .put("op", "emboss")));
    assertFalse(Files.exists(images.out.resolve("x")), "no batch started");
  }

  @Test
  void pastTheBatchLimitTheAnswerIs503() throws Exception {
    Path in = Files.createDirectories(images.in.resolve("some"));
    for (int i = 0; i < 40; i++) {
      Files.write(in.resolve("a" + i + ".png"), TestImages.bytes(TestImages.ASTRONAUT_PNG));
    }
    JsonObject request = new JsonObject().put("inputDir", "some").put("outputDir", "o").put("op", "faces");
    Future<JsonObject> first = images.client.batch(request, 60_000);
    Future<JsonObject> second = images.client.batch(request.copy().put("outputDir", "o2"), 60_000);
    assertEquals(ErrorCode.BUSY.code, org.junit.jupiter.api.Assertions.assertThrows(PixelbusException.class, second::await)
        .failureCode());
    assertEquals(40, first.await().getInteger("succeeded"));
  }

  /** {@code n} copies of the astronaut: faces on each takes tens of ms, so a batch of them runs for seconds. */
  private Path copies(String folder, int n) throws Exception {
    Path in = Files.createDirectories(images.in.resolve(folder));
    byte[] png = TestImages.bytes(TestImages.ASTRONAUT_PNG);
    for (int i = 0; i < n; i++) {
      Files.write(in.resolve(String.format("a%03d.png", i)), png);
    }
    return in;
  }

  private List<JsonObject> follow(String jobId) {
    List<JsonObject> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.IMAGE_BATCH_PROGRESS, m -> {
      if (jobId.equals(m.body().getString("jobId"))) {
        events.add(m.body());
      }
    }).completion().await();
    return events;
  }

  private static JsonObject awaitEvent(List<JsonObject> events, java.util.function.Predicate<JsonObject> what)
      throws InterruptedException {
    for (int i = 0; i < 3000; i++) {
      for (JsonObject e : events) {
        if (what.test(e)) {
          return e;
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no such event in " + events);
  }

  @Test
  void aBatchThatDoesNotWaitRepliesWithItsJobIdAndEndsWithItsSummary() throws Exception {
    Path in = mixedFolder();
    List<JsonObject> events = follow("job-1");
    JsonObject started = batch(new JsonObject().put("inputDir", "mixed").put("outputDir", "nowait").put("op", "grayscale")
        .put("jobId", "job-1").put("wait", false));
    assertEquals(new JsonObject().put("jobId", "job-1"), started);
    JsonObject last = awaitEvent(events, e -> e.getBoolean("finished"));
    JsonObject summary = last.getJsonObject("summary");
    assertEquals(5, summary.getInteger("images"), last.encode());
    assertEquals(2, summary.getInteger("failedCount"));
    assertEquals("job-1", summary.getString("jobId"));
    assertTrue(last.containsKey("rate"));
    List<String> failedAsTheyCame = new ArrayList<>();
    events.forEach(e -> e.getJsonArray("failures").forEach(f -> failedAsTheyCame.add(((JsonObject) f).getString("file"))));
    assertEquals(Set.of("cut.jpg", "notes.txt"), new TreeSet<>(failedAsTheyCame), "each failure in an event, once");
    assertEquals(2, failedAsTheyCame.size());
    assertTrue(Files.exists(in));
  }

  @Test
  void aCancelledBatchStopsKeepsWhatItFinishedAndLeavesNoTemporaryFile() throws Exception {
    copies("many", 300);
    List<JsonObject> events = follow("job-2");
    Future<JsonObject> running = images.client.batch(new JsonObject().put("inputDir", "many").put("outputDir", "part")
        .put("op", "faces").put("jobId", "job-2"), 60_000);
    awaitEvent(events, e -> e.getLong("done") >= 10);
    JsonObject summary = vertx.eventBus().<JsonObject>request(Addresses.IMAGE_BATCH_CANCEL,
        new JsonObject().put("jobId", "job-2")).await().body();
    assertTrue(summary.getBoolean("cancelled"), summary.encode());
    long done = summary.getLong("succeeded");
    assertTrue(done >= 10 && done < 300, summary.encode());
    assertEquals(summary, running.await(), "the batch's own reply is the same summary");
    Set<String> written = names(images.out.resolve("part"));
    assertEquals(done, written.size(), "what it finished, and nothing else: " + written);
    assertTrue(written.stream().noneMatch(n -> n.startsWith(".") || n.endsWith(".part")), written.toString());
    Thread.sleep(500);
    assertEquals(written, names(images.out.resolve("part")), "and nothing after the reply");
    Throwable again = org.junit.jupiter.api.Assertions.assertThrows(Throwable.class, () -> vertx.eventBus()
        .request(Addresses.IMAGE_BATCH_CANCEL, new JsonObject().put("jobId", "job-2")).await());
    assertEquals(ErrorCode.NOT_FOUND.code, PixelbusException.from(again).failureCode());
  }

  @Test
  void aCancelledBytesModeBatchWritesNothingAfterItsReply() throws Exception {
    copies("many-bytes", 300);
    List<JsonObject> events = follow("job-3");
    Future<JsonObject> running = images.client.batch(new JsonObject().put("inputDir", "many-bytes").put("outputDir", "bytes")
        .put("op", "faces").put("jobId", "job-3").put("mode", "bytes"), 60_000);
    awaitEvent(events, e -> e.getLong("done") >= 10);
    JsonObject summary = vertx.eventBus().<JsonObject>request(Addresses.IMAGE_BATCH_CANCEL,
        new JsonObject().put("jobId", "job-3")).await().body();
    assertTrue(summary.getBoolean("cancelled"), summary.encode());
    running.await();
    Set<String> written = names(images.out.resolve("bytes"));
    assertEquals(summary.getLong("succeeded"), written.size(), written.toString());
    Thread.sleep(500);
    assertEquals(written, names(images.out.resolve("bytes")), "no late chunk was written");
  }

  @Test
  void theFoldersUnderTheInputRootAreListedWithTheirImages() throws Exception {
    mixedFolder();
    Files.createDirectories(images.in.resolve("empty"));
    Files.createDirectories(images.in.resolve(".hidden"));
    JsonObject list = vertx.eventBus().<JsonObject>request(Addresses.IMAGE_FOLDERS, new JsonObject()).await().body();
    List<String> dirs = new ArrayList<>();
    java.util.Map<String, Integer> counts = new java.util.HashMap<>();
    list.getJsonArray("folders").forEach(f -> {
      JsonObject j = (JsonObject) f;
      dirs.add(j.getString("dir"));
      counts.put(Path.of(j.getString("dir")).getFileName().toString(), j.getInteger("images"));
    });
    assertEquals(images.in.toString(), dirs.get(0), "the root first");
    assertEquals(5, counts.get("mixed"), "hidden files are not counted; a text file is a candidate");
    assertEquals(0, counts.get("empty"));
    assertTrue(!counts.containsKey(".hidden"), dirs.toString());
  }
}
