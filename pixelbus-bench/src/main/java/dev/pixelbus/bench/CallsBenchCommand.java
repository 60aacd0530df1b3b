package dev.pixelbus.bench;

import dev.pixelbus.api.GrayscaleRequest;
import dev.pixelbus.api.ImageClient;
import dev.pixelbus.api.ImageOp;
import dev.pixelbus.api.ImageService;
import dev.pixelbus.api.InfoRequest;
import dev.pixelbus.app.cli.LocalImages;
import dev.pixelbus.app.cli.Stats;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What the way a Java caller reaches the image workers costs: the same operation on the same inline
 * image, called through the typed service proxy, the JSON client (the pixelbus-json codec: no copy
 * in the JVM), and plain event-bus requests with Vert.x's own JSON codec, the image as a byte[]
 * (shared by its copy) or as a Buffer (copied at every local send). The rounds of each way alternate,
 * so that all of them see the same machine.
 */
@Command(name = "bench-calls", mixinStandardHelpOptions = true,
    description = {"Time N calls of one image operation on an inline image, through each way a Java caller has:",
        "the typed ImageService proxy, ImageClient (JSON by reference) and plain event-bus JSON (Vert.x's codec)."},
    footer = {"", "Example: pixelbus bench-calls ship.jpg --op grayscale --calls 400 --repeat 7"})
public final class CallsBenchCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "the image, sent inline with every call")
  Path image;

  @Option(names = "--op", defaultValue = "info", description = "info or grayscale (the reply then carries a PNG) (default: ${DEFAULT-VALUE})")
  String op;

  @Option(names = "--calls", defaultValue = "2000", description = "calls per round (default: ${DEFAULT-VALUE})")
  int calls;

  @Option(names = "--in-flight", defaultValue = "4", description = "calls in flight at once (default: ${DEFAULT-VALUE})")
  int inFlight;

  @Option(names = "--repeat", defaultValue = "7", description = "rounds per way; the median is reported (default: ${DEFAULT-VALUE})")
  int repeat;

  @Option(names = "--workers", defaultValue = "2", description = "image workers (default: ${DEFAULT-VALUE})")
  int workers;

  @Option(names = "--json", description = "also print one JSON object line (last line of stdout)")
  boolean json;

  @Override
  public Integer call() throws Exception {
    ImageOp imageOp = ImageOp.parse(op);
    if (imageOp != ImageOp.INFO && imageOp != ImageOp.GRAYSCALE) {
      System.err.println("pixelbus bench-calls: --op must be info or grayscale");
      return 2;
    }
    byte[] bytes = Files.readAllBytes(image);
    try (LocalImages images = new LocalImages(workers)) {
      Map<String, Supplier<Future<?>>> ways = ways(images.vertx, imageOp, bytes);
      Map<String, double[]> micros = new LinkedHashMap<>();
      ways.keySet().forEach(way -> micros.put(way, new double[repeat]));
      for (int r = -1; r < repeat; r++) { // round -1 warms every way up
        for (Map.Entry<String, Supplier<Future<?>>> way : ways.entrySet()) {
          double us = microsPerCall(images.vertx, way.getValue());
          if (r >= 0) {
            micros.get(way.getKey())[r] = us;
          }
        }
      }
      System.out.printf(Locale.ROOT, "pixelbus bench-calls: %s of %s (%d bytes) inline, %d calls a round, %d in flight,"
          + " %d workers, median of %d rounds%n", op, image.getFileName(), bytes.length, calls, inFlight, workers, repeat);
      double typed = Stats.median(micros.get("typed proxy"));
      JsonObject out = new JsonObject().put("op", op).put("bytes", bytes.length).put("calls", calls)
          .put("inFlight", inFlight).put("workers", workers).put("repeat", repeat);
      JsonObject results = new JsonObject();
      micros.forEach((way, all) -> {
        double median = Stats.median(all);
        System.out.printf(Locale.ROOT, "  %-36s %9.1f µs per call   %5.2f × the typed proxy%n", way, median, median / typed);
        JsonArray each = new JsonArray();
        for (double v : all) {
          each.add(v);
        }
        results.put(way, new JsonObject().put("microsPerCall", median).put("all", each));
      });
      if (json) {
        System.out.println(out.put("ways", results).encode());
      }
      return 0;
    }
  }

  /** Each way a call can go, as a function that makes one call. */
  private Map<String, Supplier<Future<?>>> ways(Vertx vertx, ImageOp op, byte[] bytes) {
    ImageService service = ImageService.createLocalProxy(vertx);
    ImageClient client = new ImageClient(vertx);
    DeliveryOptions plain = new DeliveryOptions().setSendTimeout(120_000);
    Function<Object, JsonObject> body = b -> new JsonObject().put("input", new JsonObject().put("bytes", b));
    Map<String, Supplier<Future<?>>> ways = new LinkedHashMap<>();
    ways.put("typed proxy", op == ImageOp.INFO ? () -> service.info(new InfoRequest().setBytes(bytes))
        : () -> service.grayscale(new GrayscaleRequest().setBytes(bytes)));
    ways.put("ImageClient (pixelbus-json codec)", () -> client.call(op, body.apply(bytes)));
    ways.put("event bus, Vert.x codec, byte[]", () -> vertx.eventBus().request(op.address(), body.apply(bytes), plain));
    Buffer buffer = Buffer.buffer(bytes);
    ways.put("event bus, Vert.x codec, Buffer", () -> vertx.eventBus().request(op.address(), body.apply(buffer), plain));
    return ways;
  }

  /** Makes {@link #calls} calls, {@link #inFlight} at a time, from an event loop; µs per call. */
  private double microsPerCall(Vertx vertx, Supplier<Future<?>> call) {
    Promise<Long> done = Promise.promise();
    vertx.runOnContext(v -> new Object() {
      final long start = System.nanoTime();
      int sent;
      int answered;

      void next() {
        if (answered == calls) {
          done.tryComplete(System.nanoTime() - start);
        } else if (sent < calls) {
          sent++;
          call.get().onSuccess(r -> {
            answered++;
            next();
          }).onFailure(done::tryFail);
        }
      }

      void begin() {
        for (int i = 0; i < Math.min(inFlight, calls); i++) {
          next();
        }
      }
    }.begin());
    return done.future().await() / 1e3 / calls;
  }
}
