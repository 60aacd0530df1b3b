package dev.pixelbus.grpc;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * {@code google.protobuf.Struct} and Vert.x JSON, both ways: a step's parameters reach the event bus as the JSON
 * the HTTP API would send, and the findings come back as they left. A Struct's numbers are doubles; whole ones
 * become integers here, so that {@code 127} is the 127 the operations' integer parameters accept.
 */
final class StructJson {
  /** Larger than any parameter: beyond it a double is kept as it is. */
  private static final double LONG_RANGE = 9.0e15;

  private StructJson() {
  }

  static JsonObject toJson(Struct struct) {
    JsonObject json = new JsonObject();
    for (Map.Entry<String, Value> e : struct.getFieldsMap().entrySet()) {
      json.put(e.getKey(), toJson(e.getValue()));
    }
    return json;
  }

  private static Object toJson(Value v) {
    return switch (v.getKindCase()) {
      case NULL_VALUE, KIND_NOT_SET -> null;
      case BOOL_VALUE -> v.getBoolValue();
      case STRING_VALUE -> v.getStringValue();
      case NUMBER_VALUE -> number(v.getNumberValue());
      case STRUCT_VALUE -> toJson(v.getStructValue());
      case LIST_VALUE -> {
        JsonArray a = new JsonArray();
        v.getListValue().getValuesList().forEach(x -> a.add(toJson(x)));
        yield a;
      }
    };
  }

  private static Object number(double d) {
    if (d == Math.rint(d) && Math.abs(d) < LONG_RANGE) {
      long l = (long) d;
      return l == (int) l ? (Object) (int) l : (Object) l;
    }
    return d;
  }

  static Struct toStruct(JsonObject json) {
    Struct.Builder b = Struct.newBuilder();
    for (Map.Entry<String, Object> e : json) {
      b.putFields(e.getKey(), toValue(e.getValue()));
    }
    return b.build();
  }

  static Value toValue(Object o) {
    Value.Builder v = Value.newBuilder();
    if (o == null) {
      return v.setNullValue(NullValue.NULL_VALUE).build();
    }
    if (o instanceof Boolean b) {
      return v.setBoolValue(b).build();
    }
    if (o instanceof Number n) {
      return v.setNumberValue(n.doubleValue()).build();
    }
    if (o instanceof JsonObject j) {
      return v.setStructValue(toStruct(j)).build();
    }
    if (o instanceof Map<?, ?> m) {
      return v.setStructValue(toStruct(new JsonObject(cast(m)))).build();
    }
    if (o instanceof Iterable<?> it) { // a JsonArray too
      ListValue.Builder l = ListValue.newBuilder();
      it.forEach(x -> l.addValues(toValue(x)));
      return v.setListValue(l).build();
    }
    return v.setStringValue(String.valueOf(o)).build();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }
}
