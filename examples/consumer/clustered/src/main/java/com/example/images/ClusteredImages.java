package com.example.images;

import dev.pixelbus.api.Addresses;
import dev.pixelbus.api.ImageService;
import dev.pixelbus.api.ThresholdReply;
import dev.pixelbus.api.ThresholdRequest;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;

/**
 * A node of a cluster of pixelbus nodes that has no image workers and no OpenCV: pixelbus-api, Vert.x
 * and Hazelcast alone. It sends an image inline, twice: through the typed service proxy and as the
 * JSON contract, with nothing of pixelbus's; then something that is not an image.
 *
 * <pre>
 * java -jar target/pixelbus.jar -cluster --role worker        # in the pixelbus repository
 * mvn -q exec:exec -Dimage=/path/to/ship.jpg                   # here
 * </pre>
 *
 * Exits 0 when both ways agree, 1 otherwise.
 */
public final class ClusteredImages {
  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: ClusteredImages IMAGE   (Hazelcast's configuration: -Dvertx.hazelcast.config=FILE)");
      System.exit(2);
    }
    byte[] encoded = Files.readAllBytes(Path.of(args[0]));
    // One machine: the event bus on loopback, like the nodes of conf/cluster.xml.
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1")))
        .withClusterManager(new HazelcastClusterManager())
        .buildClustered().await();
    int code = 1;
    try {
      ImageService images = ImageService.createProxy(vertx);
      ThresholdReply typed = whenServed(() -> images.threshold(new ThresholdRequest().setBytes(encoded)).await());
      long typedWhite = whitePixels(typed.getImage());
      System.out.printf("typed: threshold %.0f, %dx%d, %d white pixels%n", typed.getThreshold(), typed.getWidth(),
          typed.getHeight(), typedWhite);

      // The language-neutral contract: a JSON object to the operation's address, Vert.x's own codecs.
      JsonObject request = new JsonObject().put("input", new JsonObject().put("bytes", encoded));
      JsonObject json = vertx.eventBus().<JsonObject>request(Addresses.IMAGE_THRESHOLD, request,
          new DeliveryOptions().setSendTimeout(60_000)).await().body();
      long jsonWhite = whitePixels(json.getBinary("image"));
      System.out.printf("json: threshold %.0f, %d white pixels%n", json.getDouble("threshold"), jsonWhite);

      try {
        images.threshold(new ThresholdRequest().setBytes(new byte[] {1, 2, 3, 4})).await();
        System.out.println("not an image: accepted (wrong)");
      } catch (ReplyException e) {
        System.out.printf("not an image: %s %d, %s%n", e.failureType(), e.failureCode(), e.getMessage());
        code = typedWhite == jsonWhite && e.failureCode() == 415 ? 0 : 1;
      }
    } finally {
      vertx.close().await();
    }
    System.exit(code);
  }

  /** The cluster's view of who serves an address takes a moment to reach a node that just joined. */
  private static <T> T whenServed(Callable<T> call) throws Exception {
    for (int i = 0; ; i++) {
      try {
        return call.call();
      } catch (ReplyException e) {
        if (e.failureType() != ReplyFailure.NO_HANDLERS || i == 100) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  /** Pixels that are not black in a PNG, read with the JDK's own decoder. */
  private static long whitePixels(byte[] png) throws IOException {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    long white = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if ((image.getRGB(x, y) & 0xFFFFFF) != 0) {
          white++;
        }
      }
    }
    return white;
  }
}
