package dev.pixelbus.app.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.XmlConfigBuilder;
import dev.pixelbus.api.Addresses;
import dev.pixelbus.api.GrayscaleRequest;
import dev.pixelbus.api.ImageClient;
import dev.pixelbus.api.ImageOp;
import dev.pixelbus.api.ImageReply;
import dev.pixelbus.api.ImageService;
import dev.pixelbus.common.PathPolicy;
import dev.pixelbus.image.ImageModule;
import dev.pixelbus.image.batch.BatchRunner;
import dev.pixelbus.image.chunk.BatchFrame;
import dev.pixelbus.image.chunk.ChunkAddresses;
import dev.pixelbus.image.cluster.ChunkCarrier;
import dev.pixelbus.image.ops.Tiles;
import dev.pixelbus.testkit.TestImages;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Clustered Vert.x instances in this JVM, with the project's own conf/cluster.xml (127.0.0.1, no
 * multicast): a request served by another node, a batch done by other nodes, a node that takes
 * chunks and never answers, and a node that joins while a batch waits.
 */
@Timeout(180)
class ClusterTest {
  @TempDir
  Path tmp;

  @org.junit.jupiter.api.BeforeAll
  static void loadOpenCv() {
    dev.pixelbus.image.natives.OpenCvNative.load(null);
  }

  private static final String CLUSTER_NAME = "pixelbus-test-" + java.util.UUID.randomUUID();

  static Vertx node() throws Exception {
    Config config;
    try (FileInputStream xml = new FileInputStream("conf/cluster.xml")) {
      config = new XmlConfigBuilder(xml).build();
    }
    config.setInstanceName("pixelbus-test-" + System.nanoTime());
    // A cluster of this test's own: a pixelbus cluster running on the machine must not take its work.
    config.setClusterName(CLUSTER_NAME);
    config.setProperty("hazelcast.wait.seconds.before.join", "1");
    return Vertx.builder()
        .with(new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1")))
        .withClusterManager(new HazelcastClusterManager(config))
        .buildClustered().await();
  }

  @Test
  void aRequestFromOneNodeIsServedByTheOther() throws Exception {
    Vertx caller = node();
    Vertx worker = node();
    try {
      JsonObject conf = new JsonObject().put("image", new JsonObject().put("workers", 1)
          .put("inputRoots", new JsonArray().add(tmp.toString())).put("outputRoot", tmp.resolve("out").toString()));
      ImageModule.deploy(worker, conf).await();
      ImageService images = ImageService.createProxy(caller);
      // The caller has no image service of its own: the bytes travel to the other node and the result comes back.
      ImageReply reply = null;
      for (int i = 0; i < 50 && reply == null; i++) {
        try {
          reply = images.grayscale(new GrayscaleRequest().setBytes(TestImages.bytes(TestImages.ASTRONAUT_PNG))).await();
        } catch (RuntimeException notYetKnown) {
          Thread.sleep(200); // the worker node's addresses reach the caller's view of the cluster
        }
      }
      assertTrue(reply != null, "no reply from the other node");
      assertEquals(256, reply.getWidth());
      MatOfByte png = new MatOfByte(reply.getImage());
      Mat gray = Imgcodecs.imdecode(png, Imgcodecs.IMREAD_UNCHANGED);
      assertEquals(1, gray.channels());
      assertEquals(256, gray.cols());
      gray.release();
      png.release();
    } finally {
      caller.close().await();
      worker.close().await();
    }
  }

  private static final JsonObject ADAPTIVE = new JsonObject().put("method", "gaussian").put("blockSize", 11).put("c", 2);

  /** Cuts the astronaut into rows × cols PNG tiles, named as pixelbus tiles names them. */
  private static Path tiles(Path dir, int rows, int cols) throws Exception {
    Files.createDirectories(dir);
    Mat src = Imgcodecs.imdecode(new MatOfByte(TestImages.bytes(TestImages.ASTRONAUT_PNG)), Imgcodecs.IMREAD_COLOR);
    for (Tiles.Tile t : Tiles.grid(src.cols(), src.rows(), rows, cols)) {
      Mat v = Tiles.view(src, t);
      Imgcodecs.imwrite(dir.resolve(t.name("astro", ".png")).toString(), v);
      v.release();
    }
    src.release();
    return dir;
  }

  private JsonObject workerConfig(int workers) {
    return new JsonObject().put("image", new JsonObject().put("workers", workers)
        .put("inputRoots", new JsonArray().add(tmp.toString())).put("outputRoot", tmp.resolve("unused").toString()));
  }

  /** A bytes-mode batch run from {@code node}, which has no image workers of its own. */
  private static BatchRunner.Summary batch(Vertx node, Path in, Path out, long chunkTimeoutMs) throws Exception {
    Files.createDirectories(out);
    PathPolicy paths = new PathPolicy(List.of(in), out);
    BatchRunner.Spec spec = new BatchRunner.Spec(in, out, ImageOp.ADAPTIVE, ADAPTIVE, null, null, 4)
        .withRemote(new ChunkCarrier.Remote(paths, 1 << 20, chunkTimeoutMs));
    Promise<BatchRunner.Summary> done = Promise.promise();
    node.getOrCreateContext().runOnContext(v -> BatchRunner.run(node, spec, p -> { }).onComplete(done));
    return done.future().await();
  }

  private static List<String> sortedNames(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void assertSameFiles(Path expected, Path actual) throws Exception {
    assertEquals(sortedNames(expected), sortedNames(actual), "the same files, and no temporary ones");
    for (String n : sortedNames(expected)) {
      assertArrayEquals(Files.readAllBytes(expected.resolve(n)), Files.readAllBytes(actual.resolve(n)), n);
    }
  }

  /**
   * A node takes chunks and never answers in time (as a node that dies mid-batch does), then sends
   * a wrong answer late, then leaves. Its chunks go again to the node that works; the late answer
   * is written nowhere; every image is in the output once, byte for byte what one node gives.
   */

  /**
   * What another team's application does with vertx-core and vertx-hazelcast alone: JSON to the
   * operation's address, no codec of pixelbus's. The reply must be one it can decode (a pixelbus codec's
   * name on the wire left it waiting for its timeout), and a failure a ReplyException with the code.
   */
  @Test
  void aPlainVertxApplicationInTheClusterGetsItsRepliesAndCodes() throws Exception {
    Vertx plain = node();
    Vertx worker = node();
    try {
      ImageModule.deploy(worker, new JsonObject().put("image", new JsonObject().put("workers", 1)
          .put("inputRoots", new JsonArray().add(tmp.toString())).put("outputRoot", tmp.resolve("out").toString())))
          .await();
      JsonObject request = new JsonObject().put("input", new JsonObject()
          .put("bytes", TestImages.bytes(TestImages.ASTRONAUT_PNG)));
      DeliveryOptions options = new DeliveryOptions().setSendTimeout(10_000);
      JsonObject reply = null;
      for (int i = 0; i < 50 && reply == null; i++) {
        try {
          reply = plain.eventBus().<JsonObject>request(Addresses.IMAGE_THRESHOLD, request, options).await().body();
        } catch (ReplyException e) {
          assertEquals(ReplyFailure.NO_HANDLERS, e.failureType(), "only 'not known yet' may be retried: " + e);
          Thread.sleep(200);
        }
      }
      assertTrue(reply != null, "no reply from the worker node");
      assertEquals(127.0, reply.getDouble("threshold"));
      Mat binary = Imgcodecs.imdecode(new MatOfByte(reply.getBinary("image")), Imgcodecs.IMREAD_UNCHANGED);
      assertEquals(TestImages.golden().getJsonObject("images").getJsonObject(TestImages.ASTRONAUT_PNG)
          .getJsonObject("threshold").getJsonObject("binary").getInteger("nonZero"), org.opencv.core.Core.countNonZero(binary));
      binary.release();
      JsonObject notAnImage = new JsonObject().put("input", new JsonObject().put("bytes", new byte[] {1, 2, 3, 4}));
      ReplyException e = org.junit.jupiter.api.Assertions.assertThrows(ReplyException.class,
          () -> plain.eventBus().request(Addresses.IMAGE_THRESHOLD, notAnImage, options).await());
      assertEquals(ReplyFailure.RECIPIENT_FAILURE, e.failureType());
      assertEquals(415, e.failureCode(), e.getMessage());
    } finally {
      plain.close().await();
      worker.close().await();
    }
  }
  @Test
  void chunksLostOnADeadNodeAreDoneByTheOthersAndWrittenOnce() throws Exception {
    long timeoutMs = 1500;
    AtomicInteger swallowed = new AtomicInteger();
    try (Nodes nodes = nodesWithAFake((dying, msg) -> {
      swallowed.incrementAndGet();
      BatchFrame request = BatchFrame.decode(msg.body());
      List<Buffer> junk = request.parts().stream().map(p -> Buffer.buffer("not the image")).toList();
      JsonObject header = new JsonObject().put("done", junk.size()).put("failed", new JsonArray())
          .put("timings", new JsonObject().put("read", 0.0).put("decode", 0.0).put("op", 0.0).put("encode", 0.0).put("write", 0.0));
      dying.setTimer(2 * timeoutMs, id -> msg.reply(new BatchFrame(header, junk).encode()));
    })) {
      Path in = tiles(tmp.resolve("tiles"), 6, 8);

      BatchRunner.Summary summary = batch(nodes.coordinator(), in, tmp.resolve("out"), timeoutMs);

      assertEquals(48, summary.images());
      assertEquals(0, summary.failed(), summary.toJson().encode());
      assertTrue(swallowed.get() > 0, "the dying node took chunks, so they had to go again");
      Thread.sleep(2 * timeoutMs); // any late answer has arrived by now
      nodes.fake().close().await();
      BatchRunner.Summary reference = batch(nodes.coordinator(), in, tmp.resolve("ref"), 30_000);
      assertEquals(0, reference.failed());
      assertSameFiles(tmp.resolve("ref"), tmp.resolve("out"));
    }
  }

  /**
   * A node that leaves with chunks it never answered: the batch sees the members change and sends
   * those chunks again at once. With a ten-minute chunk timeout, only that gets the batch done
   * within the test's timeout.
   */
  @Test
  void chunksOfANodeThatLeavesGoAgainWithoutWaitingForTheTimeout() throws Exception {
    AtomicInteger swallowed = new AtomicInteger();
    try (Nodes nodes = nodesWithAFake((leaving, msg) -> {
      if (swallowed.getAndIncrement() == 0) {
        leaving.setTimer(300, id -> leaving.close()); // leaves the cluster, its chunks unanswered
      }
    })) {
      Path in = tiles(tmp.resolve("tiles"), 6, 8);

      BatchRunner.Summary summary = batch(nodes.coordinator(), in, tmp.resolve("out"), 600_000);

      assertEquals(48, summary.images());
      assertEquals(0, summary.failed(), summary.toJson().encode());
      assertTrue(swallowed.get() > 0, "the leaving node took chunks");
      assertEquals(48, sortedNames(tmp.resolve("out")).size());
    }
  }

  /** A coordinator with no workers, a node whose chunk addresses the test serves, and a node with one real worker. */
  private record Nodes(Vertx coordinator, Vertx fake, Vertx worker) implements AutoCloseable {
    @Override
    public void close() {
      coordinator.close().await();
      worker.close().await();
      fake.close().await();
    }
  }

  private Nodes nodesWithAFake(java.util.function.BiConsumer<Vertx, io.vertx.core.eventbus.Message<Buffer>> fake)
      throws Exception {
    Nodes nodes = new Nodes(node(), node(), node());
    fakeDispatcher(nodes.fake(), msg -> fake.accept(nodes.fake(), msg));
    ImageModule.deploy(nodes.worker(), workerConfig(1)).await();
    waitForHandlersOn(nodes.coordinator(), 2);
    return nodes;
  }

  /**
   * {@code pixelbus.image.batch} asked of one full node of a cluster runs in bytes mode by default,
   * and both nodes' workers take a share.
   */
  @Test
  void aBatchAskedOfOneNodeIsSharedWithTheOther() throws Exception {
    Vertx asked = node();
    Vertx other = node();
    try {
      Path in = tiles(tmp.resolve("tiles"), 10, 10);
      JsonObject conf = workerConfig(1);
      conf.getJsonObject("image").put("outputRoot", tmp.resolve("out").toString());
      ImageModule.deploy(asked, conf).await();
      ImageModule.deploy(other, workerConfig(1)).await();
      waitForHandlersOn(asked, 2);
      JsonObject reply = new ImageClient(asked).batch(new JsonObject().put("inputDir", in.toString()).put("outputDir", "adaptive")
          .put("op", "adaptive").put("params", ADAPTIVE).put("format", "png"), 120_000).await();
      assertEquals(100, reply.getInteger("images"));
      assertEquals(0, reply.getInteger("failedCount"), reply.encode());
      assertEquals(100, sortedNames(tmp.resolve("out/adaptive")).size());
      for (Vertx node : List.of(asked, other)) {
        JsonObject stats = node.eventBus().<JsonObject>request(Addresses.IMAGE_STATS, new JsonObject()).await().body();
        assertTrue(stats.getLong("succeeded") > 0, "each node took a share: " + stats.encode());
      }
    } finally {
      asked.close().await();
      other.close().await();
    }
  }

  /** A batch started when no node has workers waits for one; a node that joins takes the work. */
  @Test
  void aNodeThatJoinsMidBatchTakesTheWork() throws Exception {
    Vertx coordinator = node();
    Vertx late = null;
    try {
      Path in = tiles(tmp.resolve("tiles"), 4, 4);
      Promise<BatchRunner.Summary> done = Promise.promise();
      PathPolicy paths = new PathPolicy(List.of(in), tmp);
      Files.createDirectories(tmp.resolve("out"));
      BatchRunner.Spec spec = new BatchRunner.Spec(in, tmp.resolve("out"), ImageOp.GRAYSCALE, new JsonObject(), null, null, 4)
          .withRemote(new ChunkCarrier.Remote(paths, 1 << 20, 30_000));
      coordinator.getOrCreateContext().runOnContext(v -> BatchRunner.run(coordinator, spec, p -> { }).onComplete(done));
      Thread.sleep(1000);
      assertTrue(!done.future().isComplete(), "nothing can be done without workers: " + done.future().result() + " " + done.future().cause());
      late = node();
      ImageModule.deploy(late, workerConfig(2)).await();
      BatchRunner.Summary summary = done.future().await();
      assertEquals(16, summary.images());
      assertEquals(0, summary.failed(), summary.toJson().encode());
      assertEquals(16, sortedNames(tmp.resolve("out")).size());
      JsonObject stats = late.eventBus().<JsonObject>request(Addresses.IMAGE_STATS, new JsonObject()).await().body();
      assertTrue(stats.getLong("succeeded") > 0, stats.encode());
    } finally {
      coordinator.close().await();
      if (late != null) {
        late.close().await();
      }
    }
  }

  /** Serves the chunk addresses of a node's dispatcher (the shared one and the node's own) with a handler of the test's. */
  private static void fakeDispatcher(Vertx node, io.vertx.core.Handler<io.vertx.core.eventbus.Message<Buffer>> handler) {
    String id = ((io.vertx.core.internal.VertxInternal) node).clusterManager().getNodeId();
    node.eventBus().<Buffer>consumer(ChunkAddresses.BYTES, handler).completion().await();
    node.eventBus().<Buffer>consumer(ChunkAddresses.bytesOn(id), handler).completion().await();
  }

  /** Waits until {@code node} sees {@code count} handlers of the bytes-chunk address across the cluster. */
  private static void waitForHandlersOn(Vertx node, int count) throws Exception {
    ClusterManager cm = ((io.vertx.core.internal.VertxInternal) node).clusterManager();
    for (int i = 0; i < 100; i++) {
      Promise<List<RegistrationInfo>> regs = Promise.promise();
      cm.getRegistrations(ChunkAddresses.BYTES, regs);
      if (regs.future().await().size() >= count) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the cluster never showed " + count + " handlers of " + ChunkAddresses.BYTES);
  }
}
