package dev.pixelbus.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigOverridesTest {
  private final JsonObject config = ConfigLoader.defaults();

  @Test
  void namesFollowTheKeyPath() {
    assertEquals("PIXELBUS_IMAGE_QUEUE_CAPACITY", ConfigOverrides.envName(List.of("image", "queueCapacity")));
    assertEquals("pixelbus.image.queueCapacity", ConfigOverrides.propertyName(List.of("image", "queueCapacity")));
    assertEquals("PIXELBUS_OPENCV_CACHE_DIR", ConfigOverrides.envName(List.of("opencv", "cacheDir")));
  }

  @Test
  void environmentAndPropertiesOverrideSingleKeysWithTheirType() {
    ConfigOverrides.Result r = ConfigOverrides.apply(config,
        Map.of("PIXELBUS_IMAGE_WORKERS", "7", "PIXELBUS_IMAGE_INPUT_ROOTS", "/a, /b", "HOME", "/root"),
        Map.of("pixelbus.image.maxPixels", "5000000000", "pixelbus.image.outputRoot", "/out"));
    JsonObject image = r.config().getJsonObject("image");
    assertEquals(7, image.getValue("workers"));
    assertEquals(5_000_000_000L, image.getValue("maxPixels"));
    assertEquals(new JsonArray().add("/a").add("/b"), image.getJsonArray("inputRoots"));
    assertEquals("/out", image.getString("outputRoot"));
    assertEquals(256, image.getInteger("queueCapacity"), "untouched keys keep their value");
    assertTrue(r.unknown().isEmpty());
    assertEquals(100_000_000L, config.getJsonObject("image").getLong("maxPixels"), "the input is not changed");
  }

  @Test
  void aPropertyWinsOverTheEnvironment() {
    ConfigOverrides.Result r = ConfigOverrides.apply(config, Map.of("PIXELBUS_IMAGE_WORKERS", "3"),
        Map.of("pixelbus.image.workers", "5"));
    assertEquals(5, r.config().getJsonObject("image").getInteger("workers"));
    assertEquals(List.of("pixelbus.image.workers"), r.applied());
  }

  @Test
  void listsAcceptJson() {
    ConfigOverrides.Result r = ConfigOverrides.apply(config, Map.of("PIXELBUS_IMAGE_INPUT_ROOTS", "[\"/x,y\"]"), Map.of());
    assertEquals(new JsonArray().add("/x,y"), r.config().getJsonObject("image").getJsonArray("inputRoots"));
  }

  @Test
  void unknownNamesAreReported() {
    ConfigOverrides.Result r = ConfigOverrides.apply(config, Map.of("PIXELBUS_IMAGE_WORKRES", "3"),
        Map.of("pixelbus.image.qeueCapacity", "1"));
    assertEquals(2, r.unknown().size());
    assertEquals(0, r.config().getJsonObject("image").getInteger("workers"), "nothing was applied");
  }

  @Test
  void badValuesFailWithTheName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ConfigOverrides.apply(config, Map.of("PIXELBUS_IMAGE_WORKERS", "many"), Map.of()));
    assertTrue(e.getMessage().contains("PIXELBUS_IMAGE_WORKERS"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> ConfigOverrides.apply(config, Map.of(), Map.of("pixelbus.log.level", "x", "pixelbus.image.workers", "1.5")));
  }
}
