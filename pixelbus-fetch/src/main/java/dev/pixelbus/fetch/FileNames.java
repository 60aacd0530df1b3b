package dev.pixelbus.fetch;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The file name a download gets: pure functions, so the rules can be read and tested alone.
 * The name is the last segment of the URL's path, decoded and made safe: no separators, no
 * {@code ..}, no control characters, at most {@link #MAX_BYTES} bytes of UTF-8.
 */
public final class FileNames {
  public static final int MAX_BYTES = 200;
  public static final String INDEX = "index.html";
  private static final Map<String, String> EXTENSIONS = Map.ofEntries(
      Map.entry("text/html", ".html"), Map.entry("application/xhtml+xml", ".html"), Map.entry("text/plain", ".txt"),
      Map.entry("text/css", ".css"), Map.entry("text/csv", ".csv"), Map.entry("application/json", ".json"),
      Map.entry("application/javascript", ".js"), Map.entry("text/javascript", ".js"),
      Map.entry("application/xml", ".xml"), Map.entry("text/xml", ".xml"), Map.entry("application/pdf", ".pdf"),
      Map.entry("application/zip", ".zip"), Map.entry("application/gzip", ".gz"), Map.entry("image/png", ".png"),
      Map.entry("image/jpeg", ".jpg"), Map.entry("image/gif", ".gif"), Map.entry("image/webp", ".webp"),
      Map.entry("image/svg+xml", ".svg"), Map.entry("application/octet-stream", ".bin"));

  private FileNames() {
  }

  /** The safe name from the URL's path alone: {@code index.html} when the path names no file. */
  public static String fromUrl(URI url) {
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    String last = path.substring(path.lastIndexOf('/') + 1);
    String decoded;
    try {
      decoded = URLDecoder.decode(last.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      decoded = last;
    }
    String safe = sanitize(decoded);
    return safe.isEmpty() ? INDEX : safe;
  }

  /** Adds an extension from the Content-Type when the name has none (text/html → .html, as the course did). */
  public static String withExtension(String name, String contentType) {
    if (hasExtension(name) || contentType == null) {
      return name;
    }
    String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    String ext = EXTENSIONS.get(type);
    return ext == null ? name : truncate(name, MAX_BYTES - ext.length()) + ext;
  }

  /**
   * {@code name}, or {@code name-1.ext}, {@code name-2.ext}, … : the first that {@code taken} refuses.
   */
  public static String unique(String name, Predicate<String> taken) {
    if (!taken.test(name)) {
      return name;
    }
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String ext = dot > 0 ? name.substring(dot) : "";
    for (int i = 1; ; i++) {
      String suffix = "-" + i;
      String candidate = truncate(stem, MAX_BYTES - ext.length() - suffix.length()) + suffix + ext;
      if (!taken.test(candidate)) {
        return candidate;
      }
    }
  }

  static boolean hasExtension(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 && dot < name.length() - 1;
  }

  /** Removes what could escape the folder or confuse a terminal; keeps every other character. */
  static String sanitize(String name) {
    StringBuilder s = new StringBuilder(name.length());
    name.codePoints().forEach(c -> {
      if (c == '/' || c == '\\' || c == ':' || Character.isISOControl(c) || c == 0x7F
          || Character.getType(c) == Character.FORMAT) {
        s.append('_');
      } else {
        s.appendCodePoint(c);
      }
    });
    String out = s.toString().strip();
    // Leading dots would make "..", "." or a hidden file.
    int start = 0;
    while (start < out.length() && out.charAt(start) == '.') {
      start++;
    }
    out = out.substring(start);
    return truncate(out, MAX_BYTES);
  }

  /** At most {@code maxBytes} bytes of UTF-8, cut at a character boundary, keeping the extension. */
  static String truncate(String name, int maxBytes) {
    if (name.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
      return name;
    }
    int dot = name.lastIndexOf('.');
    String ext = dot > 0 && name.length() - dot <= 16 ? name.substring(dot) : "";
    String stem = ext.isEmpty() ? name : name.substring(0, dot);
    int budget = maxBytes - ext.getBytes(StandardCharsets.UTF_8).length;
    StringBuilder s = new StringBuilder();
    int used = 0;
    for (int i = 0; i < stem.length(); ) {
      int c = stem.codePointAt(i);
      int bytes = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8).length;
      if (used + bytes > budget) {
        break;
      }
      s.appendCodePoint(c);
      used += bytes;
      i += Character.charCount(c);
    }
    return s + ext;
  }
}
