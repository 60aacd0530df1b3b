package dev.pixelbus.image.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchFrameTest {
  private static final JsonObject HEADER = new JsonObject().put("op", "adaptive").put("files", new JsonArray().add("a.png").add("b.jpg"));

  @Test
  void aFrameReadsBackAsItWasWritten() {
    Buffer a = Buffer.buffer(new byte[] {0, (byte) 0xFF, 10, 13, 0});
    BatchFrame frame = BatchFrame.decode(new BatchFrame(HEADER, List.of(a, Buffer.buffer())).encode());
    assertEquals(HEADER, frame.header());
    assertEquals(2, frame.parts().size());
    assertEquals(a, frame.parts().get(0), "binary bytes come back unchanged");
    assertEquals(0, frame.parts().get(1).length(), "an empty part stays empty");
  }

  @Test
  void aCorruptFrameIsRefusedWithAMessageNotAnArrayIndexError() {
    Buffer good = new BatchFrame(HEADER, List.of(Buffer.buffer("0123456789"))).encode();
    for (int cut : new int[] {0, 3, 4, 10, good.length() - 1}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BatchFrame.decode(good.getBuffer(0, cut)),
          "cut at " + cut);
      assertTrue(e.getMessage().startsWith("corrupt batch frame"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> BatchFrame.decode(good.copy().appendByte((byte) 1)), "trailing bytes");
    Buffer negative = good.copy();
    negative.setInt(0, -5);
    assertThrows(IllegalArgumentException.class, () -> BatchFrame.decode(negative));
    Buffer huge = Buffer.buffer().appendInt(2).appendString("{}").appendInt(Integer.MAX_VALUE);
    assertThrows(IllegalArgumentException.class, () -> BatchFrame.decode(huge), "a count beyond the limit");
  }
}
