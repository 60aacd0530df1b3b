package dev.pixelbus.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The {@code fetch} section read in one place, and the command line's settings made from it. */
class FetchSettingsTest {

  @Test
  void theDefaultsAsDocumented() {
    FetchSettings s = FetchSettings.from(new JsonObject());
    assertTrue(s.enabled());
    assertEquals(4, s.maxJobs());
    assertEquals(16, s.concurrency());
    assertEquals(256, s.maxConcurrency());
    assertEquals(4L << 30, s.maxFileBytes());
    assertEquals(10_000, s.connectTimeoutMs());
    assertEquals(30_000, s.idleTimeoutMs());
    assertEquals(10, s.maxRedirects());
    assertEquals(new RetryPolicy(3, 200, 10_000, 60_000), s.retry());
    assertEquals(100_000, s.maxUrls());
    assertEquals(Path.of("downloads"), s.outputRoot());
    assertFalse(s.insecure());
    assertEquals("pixelbus/0.1", s.userAgent());
    assertEquals(256L << 10, s.smallBodyBytes());
    assertEquals(Runtime.getRuntime().availableProcessors(), s.eventLoops());
  }

  @Test
  void theCommandLineChangesItsOwnAndKeepsTheRest() {
    FetchSettings configured = FetchSettings.from(new JsonObject().put("fetch", new JsonObject().put("enabled", false)
        .put("maxJobs", 3).put("maxUrls", 10).put("idleTimeoutMs", 1234).put("userAgent", "ua").put("eventLoops", 3)));
    FetchSettings cli = configured.forCommandLine(50, true, 1000, 20);
    assertEquals(configured.idleTimeoutMs(), cli.idleTimeoutMs());
    assertEquals("ua", cli.userAgent());
    assertEquals(3, cli.eventLoops());
    assertEquals(configured.retry(), cli.retry());
    assertEquals(configured.hosts(), cli.hosts());
    assertTrue(cli.enabled() && cli.insecure());
    assertEquals(1, cli.maxJobs());
    assertEquals(50, cli.concurrency());
    assertEquals(50, cli.maxConcurrency());
    assertEquals(1000, cli.maxFileBytes());
    assertEquals(20, cli.maxUrls(), "room for every URL given");
    assertEquals(10, configured.forCommandLine(1, false, 1, 2).maxUrls());
  }

  @Test
  void aBadValueIsNamedTheSameWayFromEitherSide() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FetchSettings.from(new JsonObject()
        .put("fetch", new JsonObject().put("concurrency", 300))));
    assertEquals("fetch.concurrency must be 1..fetch.maxConcurrency", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> FetchSettings.from(new JsonObject()).forCommandLine(0, false, 1, 1));
    assertEquals("fetch.concurrency must be 1..fetch.maxConcurrency", e.getMessage());
  }
}
