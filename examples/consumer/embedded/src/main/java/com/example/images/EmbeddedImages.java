package com.example.images;

import dev.pixelbus.api.ImageService;
import dev.pixelbus.api.InfoReply;
import dev.pixelbus.api.InfoRequest;
import dev.pixelbus.api.ThresholdReply;
import dev.pixelbus.api.ThresholdRequest;
import dev.pixelbus.image.ImageModule;
import dev.pixelbus.image.ImageSettings;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * pixelbus's image module inside this application's own Vert.x, called through the typed API.
 *
 * <pre>mvn -q exec:exec -Dimage=/path/to/ship.jpg</pre>
 */
public final class EmbeddedImages {
  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: EmbeddedImages IMAGE");
      System.exit(2);
    }
    Path image = Path.of(args[0]).toAbsolutePath();
    Path out = Files.createDirectories(Path.of("target", "embedded-images")).toAbsolutePath();
    Vertx vertx = Vertx.vertx();
    try {
      // The image module's settings: the folder it may read, the one it may write, its worker count.
      JsonObject config = new JsonObject().put("image", new JsonObject().put("workers", 2)
          .put("inputRoots", new JsonArray().add(image.getParent().toString())).put("outputRoot", out.toString()));
      vertx.deployVerticle(new ImageModule(ImageSettings.from(config))).await();

      // Paths name this node's files: a local proxy.
      ImageService images = ImageService.createLocalProxy(vertx);
      InfoReply info = images.info(new InfoRequest().setFile(image.getFileName().toString())).await();
      System.out.printf("info: %s %dx%d, %d channels, top-left BGR %s%n", info.getFormat(), info.getWidth(),
          info.getHeight(), info.getChannels(), info.getTopLeft());

      ThresholdReply written = images.threshold(new ThresholdRequest().setFile(image.getFileName().toString())
          .setOutput("threshold.png")).await();
      System.out.printf("threshold %.0f written to %s in %.1f ms%n", written.getThreshold(), written.getOutput(),
          written.getMillis());

      ThresholdReply otsu = images.threshold(new ThresholdRequest().setBytes(Files.readAllBytes(image)).setOtsu(true))
          .await();
      System.out.printf("otsu chose %.0f; the reply carries %d bytes of %s%n", otsu.getThreshold(),
          otsu.getImage().length, otsu.getOutputFormat());

      try {
        images.info(new InfoRequest().setBytes("not an image".getBytes(StandardCharsets.UTF_8))).await();
        throw new IllegalStateException("text was taken for an image");
      } catch (ReplyException e) {
        System.out.printf("not an image: failure code %d, %s%n", e.failureCode(), e.getMessage());
      }
    } finally {
      vertx.close().await();
    }
  }
}
