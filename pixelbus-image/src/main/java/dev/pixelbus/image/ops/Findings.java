package dev.pixelbus.image.ops;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the steps of a job learnt on the way, for its reply: fields by name, in the order the steps
 * put them (a threshold, faces, a face and the crop cut, what info saw). A later step's field replaces
 * an earlier one's of the same name. Values are plain Java (numbers, text, {@code Box}es, lists of
 * them): the worker turns them into JSON.
 */
public final class Findings {
  private final Map<String, Object> fields = new LinkedHashMap<>();

  public Findings put(String name, Object value) {
    fields.put(name, value);
    return this;
  }

  public Object get(String name) {
    return fields.get(name);
  }

  public Map<String, Object> fields() {
    return Collections.unmodifiableMap(fields);
  }
}
