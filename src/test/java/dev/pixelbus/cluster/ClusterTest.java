package dev.pixelbus.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.XmlConfigBuilder;
import dev.pixelbus.TestImages;
import dev.pixelbus.bus.ImageClient;
import dev.pixelbus.bus.ImageRequest;
import dev.pixelbus.image.ImageService;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.FileInputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/** Two clustered Vert.x instances in this JVM, with the project's own conf/cluster.xml (127.0.0.1, no multicast). */
@Timeout(120)
class ClusterTest {
  @TempDir
  Path tmp;

  static Vertx node() throws Exception {
    Config config;
    try (FileInputStream xml = new FileInputStream("conf/cluster.xml")) {
      config = new XmlConfigBuilder(xml).build();
    }
    config.setInstanceName("pixelbus-test-" + System.nanoTime());
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
      ImageService.deploy(worker, conf).await();
      ImageClient client = new ImageClient(caller);
      // The caller has no image service of its own: the bytes travel to the other node and the result comes back.
      JsonObject reply = null;
      for (int i = 0; i < 50 && reply == null; i++) {
        try {
          reply = client.grayscale(ImageRequest.bytes(Buffer.buffer(TestImages.bytes(TestImages.ASTRONAUT_PNG)))).await();
        } catch (RuntimeException notYetKnown) {
          Thread.sleep(200); // the worker node's addresses reach the caller's view of the cluster
        }
      }
      assertTrue(reply != null, "no reply from the other node");
      assertEquals(256, reply.getInteger("width"));
      MatOfByte png = new MatOfByte(reply.getBuffer("image").getBytes());
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
}
