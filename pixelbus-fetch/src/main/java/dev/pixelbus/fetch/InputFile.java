package dev.pixelbus.fetch;

import dev.pixelbus.api.ErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A list of URLs as {@code aria2c -i} reads it: a URL a line, each followed by its options on lines
 * that start with a space or a tab ({@code out=NAME}, {@code checksum=sha-256=HEX}, {@code header=Name:
 * value}, repeated for several headers). Blank lines and lines starting with {@code #} are skipped, so a
 * plain list of URLs is one too. Pure.
 */
public final class InputFile {
  private InputFile() {
  }

  /** @throws FetchError 400 naming the line of an option it does not take */
  public static List<FetchItem> parse(String text, Map<String, String> shared) {
    List<FetchItem> items = new ArrayList<>();
    String url = null;
    String out = null;
    Checksum checksum = null;
    Map<String, String> headers = null;
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i <= lines.length; i++) {
      String line = i < lines.length ? lines[i] : "";
      boolean option = !line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && !line.isBlank();
      String stripped = line.strip();
      if (option && !stripped.startsWith("#")) {
        if (url == null) {
          throw error(i, "an option before any URL: " + stripped);
        }
        int eq = stripped.indexOf('=');
        String key = eq < 0 ? stripped : stripped.substring(0, eq).trim();
        String value = eq < 0 ? "" : stripped.substring(eq + 1).trim();
        try {
          switch (key) {
            case "out" -> out = FetchItem.fileName(value);
            case "checksum" -> checksum = Checksum.parse(value);
            case "header" -> {
              Map.Entry<String, String> h = FetchItem.parseHeader(value, "header");
              headers.put(h.getKey(), h.getValue());
            }
            default -> throw FetchError.of(ErrorCode.BAD_REQUEST, "option " + key + " is not taken (out, checksum, header)");
          }
        } catch (FetchError e) {
          throw error(i, e.getMessage());
        }
        continue;
      }
      if (stripped.isEmpty() || stripped.startsWith("#")) {
        if (!option && stripped.isEmpty() && i == lines.length && url != null) {
          items.add(new FetchItem(url, out, checksum, headers));
          url = null;
        }
        continue;
      }
      if (url != null) {
        items.add(new FetchItem(url, out, checksum, headers));
      }
      // aria2 reads tab-separated URIs on one line as mirrors of one file; pixelbus fetches the first.
      url = stripped.split("\t", 2)[0].strip();
      out = null;
      checksum = null;
      headers = new LinkedHashMap<>(shared);
    }
    return items;
  }

  private static FetchError error(int index, String message) {
    return FetchError.of(ErrorCode.BAD_REQUEST, "input file, line " + (index + 1) + ": " + message);
  }
}
