package dev.pixelbus.app.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Overrides single configuration keys from system properties and environment variables.
 *
 * <p>The key {@code image.queueCapacity} is overridden by the system property
 * {@code pixelbus.image.queueCapacity} or the environment variable
 * {@code PIXELBUS_IMAGE_QUEUE_CAPACITY} (camelCase becomes SNAKE_CASE); the property wins when
 * both are set. Only keys that exist in the configuration can be overridden, and the value is
 * converted to the type the key already has, so a typo or a bad number fails at start.
 */
public final class ConfigOverrides {
  public static final String PROPERTY_PREFIX = "pixelbus.";
  public static final String ENV_PREFIX = "PIXELBUS_";

  /** The configuration after overrides, what was applied (for the log), and names that matched no key. */
  public record Result(JsonObject config, List<String> applied, Set<String> unknown) {
  }

  private ConfigOverrides() {
  }

  public static Result apply(JsonObject config, Map<String, String> env, Map<String, String> props) {
    JsonObject out = config.copy();
    List<String> applied = new ArrayList<>();
    Set<String> unknownEnv = new TreeSet<>();
    env.keySet().stream().filter(k -> k.startsWith(ENV_PREFIX)).forEach(unknownEnv::add);
    Set<String> unknownProps = new TreeSet<>();
    props.keySet().stream().filter(k -> k.startsWith(PROPERTY_PREFIX)).forEach(unknownProps::add);
    visit(out, new ArrayList<>(), (parent, path) -> {
      String prop = propertyName(path);
      String var = envName(path);
      unknownProps.remove(prop);
      unknownEnv.remove(var);
      String raw = props.get(prop);
      String source = prop;
      if (raw == null) {
        raw = env.get(var);
        source = var;
      }
      if (raw != null) {
        String key = path.get(path.size() - 1);
        parent.put(key, convert(parent.getValue(key), raw, source));
        applied.add(source);
      }
    });
    Set<String> unknown = new TreeSet<>(unknownProps);
    unknown.addAll(unknownEnv);
    return new Result(out, applied, unknown);
  }

  public static String propertyName(List<String> path) {
    return PROPERTY_PREFIX + String.join(".", path);
  }

  public static String envName(List<String> path) {
    StringBuilder s = new StringBuilder(ENV_PREFIX);
    for (int i = 0; i < path.size(); i++) {
      if (i > 0) {
        s.append('_');
      }
      s.append(path.get(i).replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
    }
    return s.toString();
  }

  private interface LeafVisitor {
    void leaf(JsonObject parent, List<String> path);
  }

  private static void visit(JsonObject obj, List<String> path, LeafVisitor visitor) {
    for (String key : new ArrayList<>(obj.fieldNames())) {
      path.add(key);
      Object v = obj.getValue(key);
      if (v instanceof JsonObject child) {
        visit(child, path, visitor);
      } else {
        visitor.leaf(obj, new ArrayList<>(path));
      }
      path.remove(path.size() - 1);
    }
  }

  /** Converts the text to the type of the current value; a list is JSON or comma-separated. */
  static Object convert(Object current, String raw, String source) {
    String s = raw.strip();
    try {
      if (current instanceof Boolean) {
        if (!s.equalsIgnoreCase("true") && !s.equalsIgnoreCase("false")) {
          throw new IllegalArgumentException("expected true or false");
        }
        return Boolean.parseBoolean(s);
      }
      if (current instanceof Integer || current instanceof Long) {
        long v = Long.parseLong(s.replace("_", ""));
        return current instanceof Integer && v == (int) v ? (Object) (int) v : (Object) v;
      }
      if (current instanceof Number) {
        return Double.parseDouble(s);
      }
      if (current instanceof JsonArray) {
        if (s.startsWith("[")) {
          return new JsonArray(s);
        }
        JsonArray a = new JsonArray();
        for (String part : s.split(",")) {
          if (!part.isBlank()) {
            a.add(part.strip());
          }
        }
        return a;
      }
      return raw;
    } catch (IllegalArgumentException | DecodeException e) {
      // A DecodeException quotes the text it could not parse: of a token list, that is a secret.
      boolean secret = source.toUpperCase(Locale.ROOT).contains("AUTH") || source.toUpperCase(Locale.ROOT).contains("KEYS");
      throw new IllegalArgumentException((secret ? "bad value" : "bad value '" + raw + "'") + " for " + source + ": "
          + (secret ? "not a JSON list" : e.getMessage())
          + " (the key holds " + (current == null ? "null" : current.getClass().getSimpleName()) + ")", e);
    }
  }
}
