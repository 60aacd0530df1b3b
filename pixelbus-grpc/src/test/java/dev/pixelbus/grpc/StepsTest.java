package dev.pixelbus.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.pixelbus.api.ImageOp;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.grpc.v1.Step;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepsTest {
  private static Step step(String op, Struct params) {
    return Step.newBuilder().setOp(op).setParams(params).build();
  }

  private static Value number(double d) {
    return Value.newBuilder().setNumberValue(d).build();
  }

  @Test
  void oneStepIsThatOperationWithItsParametersAsTheBusTakesThem() {
    Steps s = Steps.of(List.of(step("threshold", Struct.newBuilder().putFields("value", number(127))
        .putFields("otsu", Value.newBuilder().setBoolValue(false).build()).build())));
    assertEquals(ImageOp.THRESHOLD, s.op());
    assertEquals(new JsonObject().put("value", 127).put("otsu", false), s.params());
    assertTrue(s.params().getValue("value") instanceof Integer, "127 is an integer, not 127.0");
  }

  @Test
  void severalStepsAreAPipeline() {
    Steps s = Steps.of(List.of(step("grayscale", Struct.getDefaultInstance()),
        step("resize", Struct.newBuilder().putFields("width", number(320)).build())));
    assertEquals(ImageOp.PIPELINE, s.op());
    assertEquals(new JsonObject().put("steps", new JsonArray().add(new JsonObject().put("op", "grayscale"))
        .add(new JsonObject().put("width", 320).put("op", "resize"))), s.params());
  }

  @Test
  void structValuesOfEveryKindArrive() {
    Struct params = Struct.newBuilder()
        .putFields("ratio", number(0.5))
        .putFields("big", number(5_000_000_000d))
        .putFields("list", Value.newBuilder().setListValue(ListValue.newBuilder().addValues(number(1))
            .addValues(Value.newBuilder().setStringValue("a"))).build())
        .putFields("nested", Value.newBuilder().setStructValue(Struct.newBuilder().putFields("x", number(2))).build())
        .build();
    JsonObject json = Steps.of(List.of(step("blur", params))).params();
    assertEquals(0.5, json.getValue("ratio"));
    assertEquals(5_000_000_000L, json.getValue("big"));
    assertEquals(new JsonArray().add(1).add("a"), json.getJsonArray("list"));
    assertEquals(new JsonObject().put("x", 2), json.getJsonObject("nested"));
    assertEquals(params, StructJson.toStruct(json));
  }

  @Test
  void unknownEmptyOrReservedIsBadRequestSaidWhere() {
    PixelbusException unknown = assertThrows(PixelbusException.class,
        () -> Steps.of(List.of(step("grayscale", Struct.getDefaultInstance()), step("sepia", Struct.getDefaultInstance()))));
    assertEquals(400, unknown.failureCode());
    assertTrue(unknown.getMessage().startsWith("steps[1]: unknown op 'sepia'"), unknown.getMessage());
    assertEquals(400, assertThrows(PixelbusException.class, () -> Steps.of(List.of())).failureCode());
    assertEquals(400, assertThrows(PixelbusException.class,
        () -> Steps.of(List.of(step("", Struct.getDefaultInstance())))).failureCode());
    for (String reserved : List.of("input", "output", "format", "quality")) {
      PixelbusException e = assertThrows(PixelbusException.class, () -> Steps.of(List.of(step("info", Struct.newBuilder()
          .putFields(reserved, Value.newBuilder().setStringValue("/etc/passwd").build()).build()))));
      assertTrue(e.getMessage().contains("steps[0].params." + reserved), e.getMessage());
    }
    PixelbusException nested = assertThrows(PixelbusException.class, () -> Steps.of(List.of(
        step("info", Struct.getDefaultInstance()), step("pipeline", Struct.getDefaultInstance()))));
    assertTrue(nested.getMessage().contains("steps[1]"), nested.getMessage());
  }
}
