package dev.pixelbus.image.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelbus.api.ImageOp;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.common.Params;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The table of operations and the parameters' declarations, without OpenCV. */
class OperationsTest {
  @Test
  void theTableHoldsOneOperationForEachNameOfTheContract() {
    for (ImageOp op : ImageOp.values()) {
      if (op == ImageOp.PIPELINE) {
        assertThrows(IllegalArgumentException.class, () -> Operations.of(op));
      } else {
        assertEquals(op, Operations.of(op).op());
      }
    }
    assertEquals(ImageOp.values().length - 1, Operations.all().size());
    List<Operation<?>> missing = new ArrayList<>(Operations.all());
    missing.removeIf(o -> o.op() == ImageOp.SHARPEN);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Operations.index(missing));
    assertTrue(e.getMessage().contains("no operation for [sharpen]"), e.getMessage());
    List<Operation<?>> twice = new ArrayList<>(Operations.all());
    twice.add(new Sharpen());
    assertTrue(assertThrows(IllegalStateException.class, () -> Operations.index(twice)).getMessage().contains("sharpen"));
    PixelbusException unknown = assertThrows(PixelbusException.class, () -> Operations.parse("emboss"));
    assertEquals(400, unknown.failureCode());
  }

  @Test
  void everyOperationsExampleParses() {
    for (Operation<?> op : Operations.all()) {
      Params p = new Params(new JsonObject(op.example()), op.label());
      op.parse(p, false);
      p.rejectUnknown();
    }
  }

  private static String refusal(Param<?> param, Object value) {
    Params p = new Params(value == null ? new JsonObject() : new JsonObject().put(param.name(), value), "op");
    PixelbusException e = assertThrows(PixelbusException.class, () -> param.read(p, "op"));
    assertEquals(400, e.failureCode());
    return e.getMessage();
  }

  @Test
  void aParameterReadsItsDefaultAndRefusesWhatItsDeclarationRules() {
    Param<Integer> ksize = Param.integer("ksize", 5, "side").range(1, 99).odd();
    assertEquals(5, ksize.read(new Params(new JsonObject(), "blur"), "blur"));
    assertEquals(7, ksize.read(new Params(new JsonObject().put("ksize", 7), "blur"), "blur"));
    assertEquals("ksize must be odd and between 1 and 99, not 4", refusal(ksize, 4));
    assertEquals("ksize must be odd and between 1 and 99, not 101", refusal(ksize, 101));
    assertTrue(refusal(ksize, 2.5).startsWith("ksize must be an integer"));
    Param<Double> sigma = Param.number("sigma", 1.0, "").above(0, 100.0);
    assertEquals("sigma must be above 0 and at most 100, not 0", refusal(sigma, 0));
    assertEquals("sigma must be above 0 and at most 100, not 100.5", refusal(sigma, 100.5));
    Param<Integer> angle = Param.integer("angle", null, "").only(90, 180, 270).required();
    assertEquals("op needs angle", refusal(angle, null));
    assertEquals("angle must be 90, 180 or 270, not 45", refusal(angle, 45));
    Param<Flip.Axis> axis = Param.choice("axis", Flip.Axis.class, null, "").required();
    assertEquals("op needs axis: h, v or both", refusal(axis, null));
    assertEquals("axis must be 'h', 'v' or 'both', not 'x'", refusal(axis, "x"));
    assertEquals(Flip.Axis.BOTH, axis.read(new Params(new JsonObject().put("axis", "BOTH"), "flip"), "flip"));
    Param<ThresholdType> type = Param.choice("type", ThresholdType.class, ThresholdType.BINARY, "")
        .only(ThresholdType.BINARY, ThresholdType.BINARY_INV);
    assertEquals("type must be 'binary' or 'binary_inv', not 'trunc'", refusal(type, "trunc"));
    assertNull(Param.integer("width", null, "").read(new Params(new JsonObject(), "resize"), "resize"));
  }

  @Test
  void theDeclarationIsWhatTheTablePublishes() {
    Map<String, Object> ksize = Param.integer("ksize", 5, "the kernel's side").range(1, 99).odd().describe();
    assertEquals("integer", ksize.get("type"));
    assertEquals(5, ksize.get("default"));
    assertEquals(1L, ksize.get("min"));
    assertEquals(99L, ksize.get("max"));
    assertEquals(true, ksize.get("odd"));
    assertEquals("odd and between 1 and 99", ksize.get("rule"));
    assertEquals(false, ksize.get("required"));
    Map<String, Object> fit = Param.choice("fit", Resize.Fit.class, Resize.Fit.INSIDE, "").describe();
    assertEquals("inside", fit.get("default"));
    assertEquals(List.of("inside", "cover", "fill"), fit.get("choices"));
    Map<String, Object> sharpen = new Sharpen().describe();
    assertEquals("pixelbus.image.sharpen", sharpen.get("address"));
    assertFalse((Boolean) sharpen.get("answersJson"));
    assertTrue(new Info().answersJson() && new Faces().answersJson());
  }
}
