package dev.pixelbus.common;

import dev.pixelbus.api.PixelbusException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads typed parameters out of a request body, each failure a 400 that names the parameter.
 * It remembers the keys it was asked for, so a misspelt one ({@code blocksize}) is refused
 * rather than silently ignored.
 */
public final class Params {
  private final JsonObject body;
  private final String where;
  private final Set<String> known = new LinkedHashSet<>();

  /** A parameter given as text (command line, query string): its JSON value when it parses, the text otherwise. */
  public static Object fromText(String text) {
    try {
      return Json.decodeValue(text);
    } catch (DecodeException e) {
      return text;
    }
  }

  public Params(JsonObject body, String where) {
    this.body = body == null ? new JsonObject() : body;
    this.where = where;
  }

  public boolean has(String key) {
    known.add(key);
    return body.getValue(key) != null;
  }

  public Object raw(String key) {
    known.add(key);
    return body.getValue(key);
  }

  public String string(String key, String def) {
    Object v = raw(key);
    if (v == null) {
      return def;
    }
    if (!(v instanceof String s)) {
      throw bad(key, "must be a string");
    }
    return s;
  }

  public double number(String key, double def) {
    Object v = raw(key);
    if (v == null) {
      return def;
    }
    if (!(v instanceof Number n)) {
      throw bad(key, "must be a number, not " + describe(v));
    }
    return n.doubleValue();
  }

  public int integer(String key, int def) {
    Object v = raw(key);
    if (v == null) {
      return def;
    }
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
        || Math.abs(n.doubleValue()) > Integer.MAX_VALUE) {
      throw bad(key, "must be an integer, not " + describe(v));
    }
    return n.intValue();
  }

  public Integer optionalInteger(String key) {
    return has(key) ? integer(key, 0) : null;
  }

  /** A whole number that may pass an int's range: a byte count, bytes a second. */
  public long longInteger(String key, long def) {
    Object v = raw(key);
    if (v == null) {
      return def;
    }
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
        || Math.abs(n.doubleValue()) > Long.MAX_VALUE) {
      throw bad(key, "must be an integer, not " + describe(v));
    }
    return n.longValue();
  }

  public boolean bool(String key, boolean def) {
    Object v = raw(key);
    if (v == null) {
      return def;
    }
    if (!(v instanceof Boolean b)) {
      throw bad(key, "must be true or false, not " + describe(v));
    }
    return b;
  }

  /** A size as [width, height], {"width": w, "height": h}, or one number for a square. */
  public int[] size(String key) {
    Object v = raw(key);
    if (v == null) {
      return null;
    }
    if (v instanceof Number) {
      int n = integer(key, 0);
      return new int[] {n, n};
    }
    if (v instanceof JsonArray a && a.size() == 2 && a.getValue(0) instanceof Number && a.getValue(1) instanceof Number) {
      return new int[] {a.getNumber(0).intValue(), a.getNumber(1).intValue()};
    }
    if (v instanceof JsonObject o && o.getValue("width") instanceof Number && o.getValue("height") instanceof Number) {
      return new int[] {o.getNumber("width").intValue(), o.getNumber("height").intValue()};
    }
    throw bad(key, "must be [width, height], not " + describe(v));
  }

  /** Bytes given as a Buffer or byte[] (Java callers) or base64 text, standard or URL-safe (JSON callers). */
  public static byte[] bytes(Object v, String key) {
    if (v instanceof Buffer b) {
      return b.getBytes();
    }
    if (v instanceof byte[] b) {
      return b;
    }
    if (v instanceof String s) {
      try {
        // One pass: the alphabet picks the decoder (both take text with or without its padding).
        String text = s.strip();
        boolean urlSafe = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
        return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text);
      } catch (IllegalArgumentException e) {
        throw PixelbusException.badRequest(key + " is not valid base64: " + e.getMessage());
      }
    }
    throw PixelbusException.badRequest(key + " must be base64 text, not " + describe(v));
  }

  /** Fails with 400 if the body holds a key that was never asked for. */
  public void rejectUnknown() {
    Set<String> unknown = new TreeSet<>(body.fieldNames());
    unknown.removeAll(known);
    if (!unknown.isEmpty()) {
      throw PixelbusException.badRequest("unknown parameter" + (unknown.size() > 1 ? "s " : " ") + unknown + " for " + where
          + "; known: " + known);
    }
  }

  public PixelbusException bad(String key, String why) {
    return PixelbusException.badRequest(key + " " + why);
  }

  private static String describe(Object v) {
    if (v instanceof String s) {
      return "'" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "'";
    }
    return v instanceof JsonObject ? "an object" : v instanceof JsonArray ? "a list" : String.valueOf(v);
  }
}
