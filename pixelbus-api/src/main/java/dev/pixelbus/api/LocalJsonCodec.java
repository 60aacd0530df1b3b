package dev.pixelbus.api;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * JSON messages that are not copied when they stay in the JVM. Vert.x's own JsonObject codec copies
 * the whole object on every local send, image bytes in a {@code Buffer} included: an HTTP upload went
 * through four copies of its image and its result on the way to a worker and back. Senders using this
 * codec hand the object over and must not change it afterwards. Between JVMs it encodes as JSON, like
 * the default.
 *
 * <p>A codec's name travels with every message, and a JVM that has not registered it cannot decode
 * the message. So pixelbus replies with this codec only to a request that says it can read it (the
 * header {@link #ACCEPT}, which {@link #options()} sets); any other caller, a plain Vert.x application
 * in the cluster say, gets Vert.x's own JSON codec.
 */
public final class LocalJsonCodec implements MessageCodec<JsonObject, JsonObject> {
  public static final String NAME = "pixelbus-json";
  /** The request header by which a caller says it has registered this codec and can read replies in it. */
  public static final String ACCEPT = "pixelbus-accept-codec";

  /** Registers the codec once per Vert.x instance (a second call does nothing). */
  public static void register(Vertx vertx) {
    try {
      vertx.eventBus().registerCodec(new LocalJsonCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // registered by another part of this Vert.x
    }
  }

  /** Delivery options that send with this codec, and ask for replies in it. */
  public static DeliveryOptions options() {
    return new DeliveryOptions().setCodecName(NAME).addHeader(ACCEPT, NAME);
  }

  /** Whether the request's sender asked for replies in this codec. */
  public static boolean accepted(MultiMap headers) {
    return NAME.equals(headers.get(ACCEPT));
  }

  /**
   * How to reply to {@code request} with a JSON body: by reference when its sender can read this codec,
   * with Vert.x's own JSON codec otherwise.
   */
  public static DeliveryOptions replyOptions(Message<?> request) {
    return accepted(request.headers()) ? options() : new DeliveryOptions();
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
