package dev.pixelbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelbus.api.GrayscaleRequest;
import dev.pixelbus.api.ImageClient;
import dev.pixelbus.api.ImageService;
import dev.pixelbus.app.cli.ImageCommand;
import dev.pixelbus.testkit.TestCli;
import dev.pixelbus.testkit.TestImages;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@ExtendWith(VertxExtension.class)
class MainVerticleTest {
  @TempDir
  Path tmp;

  @Test
  void servesTheImageAddressesWithTheGivenConfigAndOverrides(Vertx vertx) {
    Path in = tmp.resolve("in");
    TestImages.copy(TestImages.ASTRONAUT_PNG, in);
    JsonObject conf = new JsonObject().put("image", new JsonObject().put("inputRoots", new JsonArray().add(in.toString()))
        .put("outputRoot", tmp.resolve("out").toString()).put("workers", 1))
        .put("echo", new JsonObject().put("port", 0)).put("http", new JsonObject().put("port", 0))
        .put("bridge", new JsonObject().put("port", 0));
    System.setProperty("pixelbus.image.queueCapacity", "7");
    try {
      vertx.deployVerticle(new MainVerticle(), new DeploymentOptions().setConfig(conf)).await();
    } finally {
      System.clearProperty("pixelbus.image.queueCapacity");
    }
    ImageClient images = new ImageClient(vertx);
    String output = ImageService.createLocalProxy(vertx).grayscale(new GrayscaleRequest().setFile(TestImages.ASTRONAUT_PNG)
        .setOutput("gray.png")).await().getOutput();
    assertTrue(Files.exists(Path.of(output)));
    JsonObject stats = images.stats().await();
    assertEquals(1, stats.getInteger("workers"), "from the given config");
    assertEquals(7, stats.getInteger("queueCapacity"), "from the system property");
    JsonObject echo = vertx.eventBus().<JsonObject>request(dev.pixelbus.api.Addresses.ECHO_STATS, null).await().body();
    assertTrue(echo.getInteger("port") > 0, "the echo server listens too: " + echo);
  }

  @Test
  void aWorkerNodeDeploysOnlyTheImageWorkers(Vertx vertx) {
    String[] rest = Main.role(new String[] {"-cluster", "--role", "worker", "-conf", "x.json"});
    try {
      assertEquals(List.of("-cluster", "-conf", "x.json"), List.of(rest), "--role is taken out for the launcher");
      JsonObject conf = new JsonObject().put("image", new JsonObject().put("workers", 1)
          .put("outputRoot", tmp.resolve("out").toString()));
      vertx.deployVerticle(new MainVerticle(), new DeploymentOptions().setConfig(conf)).await();
    } finally {
      System.clearProperty("pixelbus.role");
    }
    assertEquals(1, new ImageClient(vertx).stats().await().getInteger("workers"));
    Throwable noEcho = org.junit.jupiter.api.Assertions.assertThrows(Throwable.class,
        () -> vertx.eventBus().request(dev.pixelbus.api.Addresses.ECHO_STATS, null).await());
    assertTrue(noEcho.getMessage().contains("No handlers"), noEcho.getMessage());
  }

  @Test
  void aBadConfigValueStopsTheStartWithItsName(Vertx vertx) {
    JsonObject conf = new JsonObject().put("image", new JsonObject().put("queueCapacity", -1));
    Throwable e = org.junit.jupiter.api.Assertions.assertThrows(Throwable.class,
        () -> vertx.deployVerticle(new MainVerticle(), new DeploymentOptions().setConfig(conf)).await());
    assertTrue(e.getMessage().contains("image.queueCapacity"), e.getMessage());
  }

  @Test
  void aShutdownTimeoutBelowOneStopsTheStart(Vertx vertx) {
    JsonObject conf = new JsonObject().put("shutdownTimeoutMs", 0);
    Throwable e = org.junit.jupiter.api.Assertions.assertThrows(Throwable.class,
        () -> vertx.deployVerticle(new MainVerticle(), new DeploymentOptions().setConfig(conf)).await());
    assertTrue(e.getMessage().contains("shutdownTimeoutMs"), e.getMessage());
  }

  @Test
  void launcherOptionsTheLauncherWouldIgnoreAreRefusedBeforeTheStart() throws Exception {
    Path good = java.nio.file.Files.writeString(tmp.resolve("good.json"), "{\"http\":{\"port\":0}}");
    Path bad = java.nio.file.Files.writeString(tmp.resolve("bad.json"), "{\"http\":{\"port\":0},}");
    org.junit.jupiter.api.Assertions.assertNull(Main.checkLauncherOptions(new String[] {"-conf", good.toString()}));
    org.junit.jupiter.api.Assertions.assertNull(Main.checkLauncherOptions(new String[] {"-conf", "{\"a\":1}", "-cluster"}));
    org.junit.jupiter.api.Assertions.assertNull(Main.checkLauncherOptions(new String[] {"-instances", "1"}));
    assertTrue(Main.checkLauncherOptions(new String[] {"-conf", tmp.resolve("my-confg.json").toString()})
        .contains("no such file"));
    assertTrue(Main.checkLauncherOptions(new String[] {"-conf", bad.toString()}).contains("not valid JSON"));
    assertTrue(Main.checkLauncherOptions(new String[] {"-options", "{oops"}).contains("not valid JSON"));
    assertTrue(Main.checkLauncherOptions(new String[] {"-instances", "2"}).contains("one instance"));
  }

  @Test
  void theImageCommandRunsOneOperationAndPrintsTheReply() throws Exception {
    Path image = TestImages.copy(TestImages.SHAPES_PNG, tmp);
    Path out = tmp.resolve("shapes-otsu.png");
    TestCli.Result r = TestCli.run(new ImageCommand(), "threshold", image.toString(), "-o", out.toString(),
        "-p", "otsu=true");
    assertEquals(0, r.code());
    JsonObject reply = new JsonObject(r.out());
    assertEquals(135.0, reply.getDouble("threshold"), "Otsu's value for shapes.png, as cv2 computes it");
    assertTrue(Files.size(out) > 0);
    int bad = new CommandLine(new ImageCommand()).execute("adaptive", image.toString(), "-p", "blockSize=4");
    assertEquals(1, bad);
  }
}
