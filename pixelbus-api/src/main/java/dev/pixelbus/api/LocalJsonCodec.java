package dev.pixelbus.api;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * JSON messages that are not copied when they stay in the JVM. Vert.x's own JsonObject codec copies
 * the whole object on every local send, image bytes included: an HTTP upload went through four
 * copies of its image and its result on the way to a worker and back. Senders using this codec
 * hand the object over and must not change it afterwards. Between JVMs it encodes as JSON, like
 * the default.
 */
public final class LocalJsonCodec implements MessageCodec<JsonObject, JsonObject> {
  public static final String NAME = "pixelbus-json";

  /** Registers the codec once per Vert.x instance (a second call does nothing). */
  public static void register(Vertx vertx) {
    try {
      vertx.eventBus().registerCodec(new LocalJsonCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // registered by another part of this Vert.x
    }
  }

  /** Delivery options that use this codec. */
  public static DeliveryOptions options() {
    return new DeliveryOptions().setCodecName(NAME);
  }

  @Override
  public void encodeToWire(Buffer buffer, JsonObject json) {
    Buffer encoded = json.toBuffer();
    buffer.appendInt(encoded.length()).appendBuffer(encoded);
  }

  @Override
  public JsonObject decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length));
  }

  @Override
  public JsonObject transform(JsonObject json) {
    return json;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
