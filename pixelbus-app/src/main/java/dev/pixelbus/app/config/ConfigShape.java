package dev.pixelbus.app.config;

import dev.pixelbus.common.Checks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a merged configuration against the shape of the defaults: every key the defaults have keeps
 * its JSON type ({@code "port": "9090"} is refused with its name, instead of a ClassCastException
 * with none when a part starts), and keys the defaults do not have are reported (a typo such as
 * {@code "prot"} would otherwise be ignored without a word).
 */
public final class ConfigShape {
  private ConfigShape() {
  }

  /**
   * @return the paths of keys the defaults do not have
   * @throws IllegalArgumentException naming the first key whose type differs from its default's
   */
  public static List<String> check(JsonObject defaults, JsonObject config) {
    List<String> unknown = new ArrayList<>();
    walk(defaults, config, "", unknown);
    return unknown;
  }

  private static void walk(JsonObject defaults, JsonObject config, String prefix, List<String> unknown) {
    for (String key : config.fieldNames()) {
      String path = prefix + key;
      if (!defaults.containsKey(key)) {
        unknown.add(path);
        continue;
      }
      Object expected = defaults.getValue(key);
      Object given = config.getValue(key);
      if (expected instanceof JsonObject e && given instanceof JsonObject g) {
        walk(e, g, path + ".", unknown);
      } else if (!sameKind(expected, given)) {
        throw new IllegalArgumentException(path + " must be " + kind(expected) + ", not " + kind(given)
            + (given == null || path.startsWith("auth.") ? "" : " (" + given + ")")); // never a token in a log line
      }
    }
  }

  private static boolean sameKind(Object expected, Object given) {
    return expected == null || kind(expected).equals(kind(given));
  }

  private static String kind(Object v) {
    if (v == null) {
      return "null";
    } else if (v instanceof Boolean) {
      return "true or false";
    } else if (v instanceof Number) {
      return "a number";
    } else if (v instanceof String) {
      return "a string";
    } else if (v instanceof JsonArray) {
      return "a list";
    } else if (v instanceof JsonObject) {
      return "an object";
    }
    return v.getClass().getSimpleName();
  }
}
