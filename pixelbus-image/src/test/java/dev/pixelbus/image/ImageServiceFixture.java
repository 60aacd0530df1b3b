package dev.pixelbus.image;

import dev.pixelbus.api.ImageClient;
import dev.pixelbus.api.ImageService;
import dev.pixelbus.api.PixelbusException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assertions;

/**
 * Deploys the image part on a test's Vert.x, with input and output roots in a temp folder, and the
 * two ways a Java caller reaches it: the typed service proxy and the JSON client.
 */
final class ImageServiceFixture {
  final Path in;
  final Path out;
  final ImageClient client;
  final ImageService service;

  private ImageServiceFixture(Path in, Path out, Vertx vertx) {
    this.in = in;
    this.out = out;
    this.client = new ImageClient(vertx, 60_000);
    this.service = ImageService.createProxyWith(vertx, new DeliveryOptions().setSendTimeout(60_000).setLocalOnly(true));
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
    return new ImageServiceFixture(in, out, vertx);
  }

  static ImageServiceFixture deploy(Vertx vertx, Path tmp) {
    return deploy(vertx, tmp, c -> { });
  }

  /**
   * The failure of a call that must fail: a {@link ReplyException} whichever way it was called (the
   * contract's promise), as the contract's exception.
   */
  static PixelbusException failure(Future<?> call) {
    Throwable e = Assertions.assertThrows(Throwable.class, call::await);
    Assertions.assertInstanceOf(ReplyException.class, e, String.valueOf(e));
    return PixelbusException.from(e);
  }
}
