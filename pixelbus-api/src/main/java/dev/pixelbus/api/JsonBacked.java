package dev.pixelbus.api;

import io.vertx.core.json.JsonObject;

/**
 * A data object of the contract kept as the JSON it stands for: a request is its address's body field
 * for field (a field that is not set is left out, so that its default applies), a reply is what the
 * address answered. So the typed API and the JSON contract cannot drift apart.
 *
 * @param <T> the data object's own type, so that the setters chain
 */
public abstract class JsonBacked<T extends JsonBacked<T>> {
  private final JsonObject json;

  protected JsonBacked() {
    this(new JsonObject());
  }

  protected JsonBacked(JsonObject json) {
    this.json = json;
  }

  /** Sets a field, or removes it when {@code value} is null. */
  protected T set(String key, Object value) {
    if (value == null) {
      json.remove(key);
    } else {
      json.put(key, value);
    }
    return self();
  }

  /** The fields, for the getters: read them, never change them. */
  protected JsonObject fields() {
    return json;
  }

  /** A copy that the caller may hand over or change (image bytes are shared, not copied). */
  public JsonObject toJson() {
    return json.copy();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + json.encode();
  }

  @SuppressWarnings("unchecked")
  private T self() {
    return (T) this;
  }
}
