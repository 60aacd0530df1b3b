package dev.pixelbus.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelbus.api.AdaptiveRequest;
import dev.pixelbus.api.Addresses;
import dev.pixelbus.api.ErrorCode;
import dev.pixelbus.api.FacesRequest;
import dev.pixelbus.api.ImageClient;
import dev.pixelbus.api.ImageOp;
import dev.pixelbus.api.ImageReply;
import dev.pixelbus.api.ImageService;
import dev.pixelbus.api.InfoRequest;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.api.ThresholdRequest;
import dev.pixelbus.image.natives.OpenCvNative;
import dev.pixelbus.testkit.TestImages;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

/** How requests reach the workers: fairness, the bounded queue, timeouts, and many callers at once. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ImageDispatchTest {
  private static final JsonObject GOLDEN = TestImages.golden().getJsonObject("images");

  @TempDir
  Path tmp;

  @BeforeAll
  static void load() {
    OpenCvNative.load();
  }

  /** Face detection on 640×640 noise with a fine scale step: seconds of work, against milliseconds for info. */
  private static JsonObject slowRequest(Path in) {
    Mat noise = new Mat(640, 640, CvType.CV_8UC3);
    Core.randu(noise, 0, 256);
    Imgcodecs.imwrite(in.resolve("noise.png").toString(), noise);
    noise.release();
    return new FacesRequest().setFile("noise.png").setScaleFactor(1.02).setMinNeighbors(0).setDraw(false).toJson();
  }

  private static void awaitBusy(ImageClient client, int busy) throws InterruptedException {
    while (client.stats().await().getInteger("busy") < busy) {
      Thread.sleep(5);
    }
  }

  @Test
  void aSlowJobDoesNotHoldUpSmallOnesWhileAWorkerIsFree(Vertx vertx) throws Exception {
    ImageServiceFixture images = ImageServiceFixture.deploy(vertx, tmp, c -> c.put("workers", 2));
    TestImages.copy(TestImages.ASTRONAUT_PNG, images.in);
    Future<JsonObject> slow = images.client.call(ImageOp.FACES, slowRequest(Files.createDirectories(images.in)));
    awaitBusy(images.client, 1);
    List<Future<JsonObject>> small = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      small.add(images.client.call(ImageOp.INFO, new JsonObject().put("input", TestImages.ASTRONAUT_PNG)));
    }
    Future.all(small).await();
    assertFalse(slow.isComplete(), "all 20 small requests finished on the free worker while the slow one ran");
    assertTrue(slow.await().containsKey("faces"), "the slow one finishes too");
  }

  @Test
  void whenEveryWorkerIsBusyAndTheQueueIsFullTheAnswerIs503AtOnce(Vertx vertx) throws Exception {
    ImageServiceFixture images = ImageServiceFixture.deploy(vertx, tmp, c -> c.put("workers", 1).put("queueCapacity", 1));
    TestImages.copy(TestImages.ASTRONAUT_PNG, images.in);
    Future<JsonObject> slow = images.client.call(ImageOp.FACES, slowRequest(Files.createDirectories(images.in)));
    awaitBusy(images.client, 1);
    Future<JsonObject> queued = images.client.call(ImageOp.INFO, new JsonObject().put("input", TestImages.ASTRONAUT_PNG));
    PixelbusException busy = ImageServiceFixture.failure(images.client.call(ImageOp.INFO, new JsonObject().put("input", TestImages.ASTRONAUT_PNG)));
    assertEquals(ErrorCode.BUSY.code, busy.failureCode());
    assertTrue(busy.getMessage().contains("image.queueCapacity"), busy.getMessage());
    assertFalse(slow.isComplete(), "the 503 came while the worker was still busy, not after a wait");
    assertEquals(256, queued.await().getInteger("width"), "the queued request is served once the worker is free");
    slow.await();
    JsonObject stats = images.client.stats().await();
    assertEquals(1, stats.getLong("rejected"));
    assertEquals(2, stats.getLong("succeeded"));
  }

  @Test
  void aWorkerThatTakesTooLongIsReportedAs500(Vertx vertx) throws Exception {
    ImageServiceFixture images = ImageServiceFixture.deploy(vertx, tmp, c -> c.put("workers", 1).put("workerTimeoutMs", 300));
    PixelbusException e = ImageServiceFixture.failure(images.client.call(ImageOp.FACES, slowRequest(Files.createDirectories(images.in))));
    assertEquals(ErrorCode.INTERNAL.code, e.failureCode());
    assertTrue(e.getMessage().contains("image.workerTimeoutMs"), e.getMessage());
    // The worker is still running that job: a small request must wait for it to end, not be queued
    // behind it on the worker, where its own 300 ms would run out too.
    assertEquals(1, images.client.stats().await().getInteger("busy"), "the job still holds its worker");
    TestImages.copy(TestImages.ASTRONAUT_PNG, images.in);
    JsonObject info = images.client.call(ImageOp.INFO, new JsonObject().put("input", TestImages.ASTRONAUT_PNG)).await();
    assertEquals(256, info.getInteger("width"));
  }

  @Test
  void aBatchChunkIsNotQueuedOnAWorkerStillRunningATimedOutJob(Vertx vertx) throws Exception {
    ImageServiceFixture images = ImageServiceFixture.deploy(vertx, tmp, c -> c.put("workers", 1).put("workerTimeoutMs", 150));
    Path tiles = Files.createDirectories(images.in.resolve("tiles"));
    for (int i = 0; i < 4; i++) {
      Files.write(tiles.resolve("t" + i + ".png"), TestImages.bytes(TestImages.SHAPES_PNG));
    }
    ImageServiceFixture.failure(images.client.call(ImageOp.FACES, slowRequest(Files.createDirectories(images.in))));
    // The worker still runs the slow job. A chunk handed to it now would wait behind that job and time out
    // in turn; it must wait at the dispatcher instead, and run once the worker is free.
    JsonObject reply = images.client.batch(new JsonObject().put("inputDir", "tiles").put("outputDir", "tiles-out")
        .put("op", "grayscale"), 60_000).await();
    assertEquals(4, reply.getInteger("succeeded"), reply.encodePrettily());
    assertEquals(0, reply.getInteger("failedCount"), reply.encodePrettily());
    assertEquals(1, images.client.stats().await().getInteger("failed"), "only the slow job failed, no chunk timed out behind it");
  }

  @Test
  void aRequestThatIsNotAJsonObjectIs400AndTakesNoWorker(Vertx vertx) {
    ImageServiceFixture.deploy(vertx, tmp, c -> c.put("workers", 1));
    for (Object body : new Object[] {"a string", 42, null}) {
      io.vertx.core.eventbus.ReplyException e = org.junit.jupiter.api.Assertions.assertThrows(
          io.vertx.core.eventbus.ReplyException.class,
          () -> vertx.eventBus().request(dev.pixelbus.api.ImageOp.INFO.address(), body).await());
      assertEquals(400, e.failureCode(), String.valueOf(body));
      assertTrue(e.getMessage().contains("must be a JSON object"), e.getMessage());
    }
  }

  /** A verticle of its own, as another part of an application would be: it runs N mixed requests. */
  static final class CallerVerticle extends VerticleBase {
    private final int requests;
    final List<String> problems = new ArrayList<>();

    CallerVerticle(int requests) {
      this.requests = requests;
    }

    @Override
    public Future<?> start() {
      ImageService images = ImageService.createLocalProxy(vertx);
      List<Future<?>> all = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        String name = i % 2 == 0 ? TestImages.ASTRONAUT_PNG : TestImages.SHAPES_PNG;
        JsonObject golden = GOLDEN.getJsonObject(name);
        Future<?> check = switch (i % 3) {
          case 0 -> images.threshold(new ThresholdRequest().setFile(name).setOtsu(true)).map(r ->
              expect(r.getThreshold(), golden.getJsonObject("threshold").getJsonObject("otsu").getDouble("threshold")));
          case 1 -> images.faces(new FacesRequest().setFile(name).setDraw(false)).map(r ->
              expect(r.getFaces().size(), golden.getJsonArray("faces").size()));
          default -> images.info(new InfoRequest().setFile(name)).map(r ->
              expect(r.toJson().getJsonArray("topLeft"), golden.getJsonArray("topLeft")));
        };
        all.add(check);
      }
      return Future.all(all);
    }

    private synchronized Object expect(Object actual, Object expected) {
      if (!expected.equals(actual)) {
        problems.add("expected " + expected + " but got " + actual);
      }
      return actual;
    }
  }

  @Test
  void manyVerticlesCallAtOnceAndEveryReplyIsRight(Vertx vertx) {
    ImageServiceFixture images = ImageServiceFixture.deploy(vertx, tmp, c -> c.put("workers", 4).put("queueCapacity", 1000));
    TestImages.copy(TestImages.ASTRONAUT_PNG, images.in);
    TestImages.copy(TestImages.SHAPES_PNG, images.in);
    List<CallerVerticle> callers = new ArrayList<>();
    List<Future<String>> deployed = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      CallerVerticle caller = new CallerVerticle(30);
      callers.add(caller);
      deployed.add(vertx.deployVerticle(caller));
    }
    Future.all(deployed).await();
    callers.forEach(c -> assertEquals(List.of(), c.problems));
    JsonObject stats = images.client.stats().await();
    assertEquals(360, stats.getLong("succeeded"));
    assertEquals(0, stats.getLong("failed"));
  }

  @Test
  void aVerticleGetsTheSameReplyByAddressAndThroughTheTypedApi(Vertx vertx) throws Exception {
    ImageServiceFixture images = ImageServiceFixture.deploy(vertx, tmp);
    TestImages.copy(TestImages.SHAPES_PNG, images.in);
    List<JsonObject> replies = new ArrayList<>();
    vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        JsonObject body = new JsonObject().put("input", TestImages.SHAPES_PNG).put("output", "by-address.png");
        Future<JsonObject> byAddress = vertx.eventBus().<JsonObject>request(Addresses.IMAGE_ADAPTIVE, body).map(Message::body);
        Future<JsonObject> typed = ImageService.createLocalProxy(vertx).adaptive(new AdaptiveRequest()
            .setFile(TestImages.SHAPES_PNG).setOutput("typed.png")).map(ImageReply::toJson);
        return Future.all(byAddress, typed).onSuccess(all -> {
          replies.add(byAddress.result());
          replies.add(typed.result());
        });
      }
    }).await();
    assertEquals(2, replies.size());
    byte[] a = Files.readAllBytes(Path.of(replies.get(0).getString("output")));
    byte[] b = Files.readAllBytes(Path.of(replies.get(1).getString("output")));
    assertTrue(java.util.Arrays.equals(a, b), "the same adaptive image both ways");
  }
}
