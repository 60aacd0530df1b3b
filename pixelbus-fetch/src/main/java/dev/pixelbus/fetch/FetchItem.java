package dev.pixelbus.fetch;

import dev.pixelbus.api.ErrorCode;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One URL of a fetch and what its caller asked of it: the file name ({@code out}), the digest its body
 * must have, and request headers. On the bus a URL is a string, or {@code {url, out?, checksum?,
 * headers?}}. Pure.
 */
public record FetchItem(String url, String out, Checksum checksum, Map<String, String> headers) {
  /** Headers a caller may not set: the client manages them (framing, ranges, the connection). */
  private static final Set<String> MANAGED = Set.of("host", "content-length", "transfer-encoding", "connection",
      "upgrade", "range", "if-range", "te", "trailer", "keep-alive", "proxy-connection");
  private static final Set<String> KEYS = Set.of("url", "out", "checksum", "headers");

  public FetchItem {
    headers = Map.copyOf(headers);
  }

  public static FetchItem of(String url) {
    return new FetchItem(url, null, null, Map.of());
  }

  /** A list entry of the bus request: a URL string, or an object; {@code shared} are the job's headers. */
  static FetchItem fromJson(Object entry, Map<String, String> shared) {
    if (entry instanceof String s && !s.isBlank()) {
      return new FetchItem(s, null, null, shared);
    }
    if (!(entry instanceof JsonObject o)) {
      throw FetchError.of(ErrorCode.BAD_REQUEST, "urls: every entry must be a URL string or {url, out?, checksum?,"
          + " headers?}, got " + entry);
    }
    for (String key : o.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw FetchError.of(ErrorCode.BAD_REQUEST, "urls: unknown field '" + key + "' in " + o.encode() + "; fields: " + KEYS);
      }
    }
    if (!(o.getValue("url") instanceof String url) || url.isBlank()) {
      throw FetchError.of(ErrorCode.BAD_REQUEST, "urls: an entry without its url: " + o.encode());
    }
    Map<String, String> headers = new LinkedHashMap<>(shared);
    headers.putAll(headers(o.getValue("headers"), "urls[].headers"));
    Object checksum = o.getValue("checksum");
    if (checksum != null && !(checksum instanceof String)) {
      throw FetchError.of(ErrorCode.BAD_REQUEST, "checksum: a string TYPE=HEX, got " + checksum);
    }
    Object out = o.getValue("out");
    if (out != null && !(out instanceof String)) {
      throw FetchError.of(ErrorCode.BAD_REQUEST, "out: a file name, got " + out);
    }
    return new FetchItem(url, out == null ? null : fileName((String) out), checksum == null ? null
        : Checksum.parse((String) checksum), headers);
  }

  /** The item as a list entry of the bus request ({@link #fromJson} reads it): a plain string when nothing else is asked. */
  public Object toJson() {
    if (out == null && checksum == null && headers.isEmpty()) {
      return url;
    }
    JsonObject o = new JsonObject().put("url", url);
    if (out != null) {
      o.put("out", out);
    }
    if (checksum != null) {
      o.put("checksum", checksum.toString());
    }
    if (!headers.isEmpty()) {
      o.put("headers", new JsonObject(new LinkedHashMap<>(headers)));
    }
    return o;
  }

  /** {@code {name: value}} checked: a token for a name, no line breaks in a value, none the client manages. */
  static Map<String, String> headers(Object value, String field) {
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof JsonObject o)) {
      throw FetchError.of(ErrorCode.BAD_REQUEST, field + ": an object {name: value}, got " + value);
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : o) {
      if (!(e.getValue() instanceof String v)) {
        throw FetchError.of(ErrorCode.BAD_REQUEST, field + ": the value of " + e.getKey() + " must be a string");
      }
      header(e.getKey(), v, field);
      out.put(e.getKey(), v);
    }
    return out;
  }

  /** {@code Name: value}, as curl's {@code -H} and aria2's {@code header=} take it. */
  public static Map.Entry<String, String> parseHeader(String line, String field) {
    int colon = line.indexOf(':');
    if (colon <= 0) {
      throw FetchError.of(ErrorCode.BAD_REQUEST, field + ": expected 'Name: value', got " + line);
    }
    String name = line.substring(0, colon).trim();
    String value = line.substring(colon + 1).trim();
    header(name, value, field);
    return Map.entry(name, value);
  }

  private static void header(String name, String value, String field) {
    if (name.isEmpty() || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
      throw FetchError.of(ErrorCode.BAD_REQUEST, field + ": not a header name: " + name);
    }
    if (value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
      throw FetchError.of(ErrorCode.BAD_REQUEST, field + ": the value of " + name + " holds a line break");
    }
    if (MANAGED.contains(name.toLowerCase(Locale.ROOT))) {
      throw FetchError.of(ErrorCode.BAD_REQUEST, field + ": " + name + " is set by the client itself");
    }
  }

  /** A name for the file, as given: one that stays in the folder and is not a part file. */
  static String fileName(String out) {
    String safe = FileNames.sanitize(out);
    if (out.isBlank() || !safe.equals(out) || out.endsWith(Names.PART)) {
      throw FetchError.of(ErrorCode.BAD_REQUEST, "out: " + out + " is not a plain file name (no folders, no leading"
          + " dot, no control characters, at most " + FileNames.MAX_BYTES + " bytes, not *.part)");
    }
    return out;
  }
}
