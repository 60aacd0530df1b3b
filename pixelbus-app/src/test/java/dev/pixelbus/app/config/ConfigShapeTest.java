package dev.pixelbus.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigShapeTest {
  private final JsonObject defaults = ConfigLoader.defaults();

  @Test
  void theDefaultsAndAConfigOfTheirShapePass() {
    assertEquals(List.of(), ConfigShape.check(defaults, defaults));
    JsonObject given = new JsonObject().put("http", new JsonObject().put("port", 9090))
        .put("image", new JsonObject().put("inputRoots", new JsonArray().add("/srv")).put("maxPixels", 5e7));
    assertEquals(List.of(), ConfigShape.check(defaults, given));
  }

  @Test
  void aValueOfAnotherTypeIsRefusedWithItsName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigShape.check(defaults,
        new JsonObject().put("http", new JsonObject().put("port", "9090"))));
    assertEquals("http.port must be a number, not a string (9090)", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ConfigShape.check(defaults,
        new JsonObject().put("image", new JsonObject().put("inputRoots", "/srv"))));
    assertTrue(e.getMessage().startsWith("image.inputRoots must be a list"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ConfigShape.check(defaults, new JsonObject().put("echo", 1)));
    assertTrue(e.getMessage().startsWith("echo must be an object"), e.getMessage());
  }

  @Test
  void unknownKeysAreReportedNotRefused() {
    assertEquals(List.of("http.prot", "colour"), ConfigShape.check(defaults,
        new JsonObject().put("http", new JsonObject().put("prot", 9090)).put("colour", "blue")));
  }
}
