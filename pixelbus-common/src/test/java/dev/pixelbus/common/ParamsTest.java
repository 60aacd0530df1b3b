package dev.pixelbus.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelbus.api.PixelbusException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ParamsTest {
  private static String refusal(Runnable r) {
    PixelbusException e = assertThrows(PixelbusException.class, r::run);
    assertEquals(400, e.failureCode());
    return e.getMessage();
  }

  @Test
  void typedValuesWithDefaults() {
    Params p = new Params(new JsonObject().put("s", "x").put("n", 2.5).put("i", 11).put("b", true), "op");
    assertEquals("x", p.string("s", null));
    assertEquals(2.5, p.number("n", 0));
    assertEquals(11, p.integer("i", 0));
    assertTrue(p.bool("b", false));
    assertEquals("d", p.string("missing", "d"));
    assertNull(p.optionalInteger("none"));
    p.rejectUnknown();
  }

  @Test
  void aWrongTypeNamesTheParameterAndWhatCame() {
    Params p = new Params(new JsonObject().put("i", 1.5).put("s", 3).put("b", "yes").put("n", "7"), "op");
    assertTrue(refusal(() -> p.integer("i", 0)).startsWith("i must be an integer"));
    assertTrue(refusal(() -> p.string("s", null)).startsWith("s must be a string"));
    assertTrue(refusal(() -> p.bool("b", false)).contains("'yes'"));
    assertTrue(refusal(() -> p.number("n", 0)).contains("'7'"));
  }

  @Test
  void aLongIntegerPassesAnIntsRangeButIsStillWhole() {
    Params p = new Params(new JsonObject().put("rate", 5_000_000_000L).put("half", 1.5).put("text", "2M"), "fetch");
    assertEquals(5_000_000_000L, p.longInteger("rate", 0));
    assertEquals(7L, p.longInteger("missing", 7));
    assertTrue(refusal(() -> p.longInteger("half", 0)).startsWith("half must be an integer"));
    assertTrue(refusal(() -> p.longInteger("text", 0)).contains("'2M'"));
  }

  @Test
  void aMisspeltParameterIsRefusedNotIgnored() {
    Params p = new Params(new JsonObject().put("blocksize", 11), "adaptive");
    p.integer("blockSize", 11);
    String why = refusal(p::rejectUnknown);
    assertTrue(why.contains("[blocksize]") && why.contains("adaptive") && why.contains("blockSize"), why);
  }

  @Test
  void sizesInEveryFormTheContractAllows() {
    JsonObject body = new JsonObject().put("a", new JsonArray().add(30).add(40)).put("o",
        new JsonObject().put("width", 30).put("height", 40)).put("n", 30).put("bad", "30x40");
    Params p = new Params(body, "faces");
    assertArrayEquals(new int[] {30, 40}, p.size("a"));
    assertArrayEquals(new int[] {30, 40}, p.size("o"));
    assertArrayEquals(new int[] {30, 30}, p.size("n"));
    assertTrue(refusal(() -> p.size("bad")).startsWith("bad must be [width, height]"));
  }

  @Test
  void bytesAsBufferByteArrayOrEitherBase64() {
    byte[] data = {(byte) 0xFB, (byte) 0xFF, 0, 1};
    assertArrayEquals(data, Params.bytes(Buffer.buffer(data), "input.bytes"));
    assertArrayEquals(data, Params.bytes(data, "input.bytes"));
    assertArrayEquals(data, Params.bytes(Base64.getEncoder().encodeToString(data), "input.bytes"));
    assertArrayEquals(data, Params.bytes(Base64.getUrlEncoder().withoutPadding().encodeToString(data), "input.bytes"));
    assertTrue(refusal(() -> Params.bytes("%%%", "input.bytes")).contains("not valid base64"));
    assertTrue(refusal(() -> Params.bytes(12, "input.bytes")).contains("must be base64 text"));
  }

  @Test
  void textFromACommandLineOrQueryStringIsJsonWhenItParses() {
    assertEquals(15, Params.fromText("15"));
    assertEquals(true, Params.fromText("true"));
    assertEquals(new JsonArray().add(30).add(30), Params.fromText("[30,30]"));
    assertEquals("mean", Params.fromText("mean"));
  }
}
