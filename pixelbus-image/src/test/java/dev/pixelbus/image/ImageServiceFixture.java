package dev.pixelbus.image;

import dev.pixelbus.api.ImageClient;
import dev.pixelbus.api.PixelbusException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assertions;

/** Deploys the image service on a test's Vert.x, with input and output roots in a temp folder. */
final class ImageServiceFixture {
  final Path in;
  final Path out;
  final ImageClient client;

  private ImageServiceFixture(Path in, Path out, ImageClient client) {
    this.in = in;
    this.out = out;
    this.client = client;
  }

  static JsonObject config(Path in, Path out, Consumer<JsonObject> image) {
    JsonObject section = new JsonObject().put("workers", 2)
        .put("inputRoots", new JsonArray().add(in.toString())).put("outputRoot", out.toString());
    image.accept(section);
    return new JsonObject().put("image", section);
  }

  static ImageServiceFixture deploy(Vertx vertx, Path tmp, Consumer<JsonObject> image) {
    Path in = tmp.resolve("in");
    Path out = tmp.resolve("out");
    ImageModule.deploy(vertx, config(in, out, image)).await();
    return new ImageServiceFixture(in, out, new ImageClient(vertx, 60_000));
  }

  static ImageServiceFixture deploy(Vertx vertx, Path tmp) {
    return deploy(vertx, tmp, c -> { });
  }

  /** The failure of a call that must fail. */
  static PixelbusException failure(Future<?> call) {
    return Assertions.assertThrows(PixelbusException.class, call::await);
  }
}
