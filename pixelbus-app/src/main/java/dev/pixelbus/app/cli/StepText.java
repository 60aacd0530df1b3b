package dev.pixelbus.app.cli;

import dev.pixelbus.common.Params;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A pipeline step as a shell writes it: {@code resize:width=800,fit=cover}, a bare {@code grayscale}, or
 * the step's JSON, {@code {"op":"resize","width":800}}. Each value is JSON when it parses (a number, a
 * list such as {@code minSize=[30,30]}), text otherwise. The steps themselves are checked by the workers.
 */
final class StepText {
  private StepText() {
  }

  /** Every {@code --step}, in order, as the contract's list. */
  static JsonArray steps(List<String> steps) {
    JsonArray list = new JsonArray();
    for (String step : steps) {
      list.add(step(step));
    }
    return list;
  }

  static JsonObject step(String text) {
    String t = text.strip();
    if (t.startsWith("{")) {
      Object json = Params.fromText(t);
      if (!(json instanceof JsonObject o)) {
        throw new IllegalArgumentException("a step in JSON is an object, {\"op\": ..., ...}: " + text);
      }
      return o;
    }
    int colon = t.indexOf(':');
    JsonObject step = new JsonObject().put("op", colon < 0 ? t : t.substring(0, colon).strip());
    if (colon >= 0) {
      for (String pair : split(t.substring(colon + 1))) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("a step's parameter is NAME=VALUE, not '" + pair + "' in '" + text + "'");
        }
        step.put(pair.substring(0, eq).strip(), Params.fromText(pair.substring(eq + 1).strip()));
      }
    }
    return step;
  }

  /** Splits at the commas that are not inside [...] or {...}. */
  private static List<String> split(String params) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < params.length(); i++) {
      char c = params.charAt(i);
      if (c == '[' || c == '{') {
        depth++;
      } else if (c == ']' || c == '}') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(params.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(params.substring(start));
    return parts.stream().filter(p -> !p.isBlank()).toList();
  }
}
