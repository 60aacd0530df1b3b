package dev.pixelbus.bench.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadSettingsTest {
  static LoadSettings settings(int connections, int idle) {
    return new LoadSettings("127.0.0.1", 18888, connections, 4, 3, 10, 1, 200, 30_000, ReplyChecker.Framing.LINE,
        "42", idle, 30);
  }

  @Test
  void sharesCoverEveryConnectionOnce() {
    for (int stride = 1; stride <= 4; stride++) {
      int sum = 0;
      for (int i = 0; i < stride; i++) {
        sum += LoadSettings.share(10_001, i, stride);
      }
      assertEquals(10_001, sum);
    }
    assertEquals(3, LoadSettings.share(10, 0, 4));
    assertEquals(2, LoadSettings.share(10, 3, 4));
  }

  @Test
  void badSettingsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> settings(0, -1));
    assertThrows(IllegalArgumentException.class, () -> new LoadSettings("h", 0, 1, 1, 0, 1, 1, 1, 1,
        ReplyChecker.Framing.LINE, null, -1, 1));
  }

  @Test
  void theJsonLineHasTheFieldsTheBenchScriptReads() {
    LoadResult r = new LoadResult(settings(100, -1), 100, 0.2, 10.0, 500_000, 180.04, 900.0, 5000.0, 0, 0, 0,
        500_000, 2_000_000.0, 3_000_000, 100, 0, List.of());
    JsonObject j = r.toJson();
    for (String f : List.of("connections", "depth", "seconds", "replies", "repliesPerSecond", "p50Micros", "p99Micros",
        "maxMicros", "errors", "serverCpuMicrosPerReply")) {
      assertTrue(j.containsKey(f), f);
    }
    assertEquals(50_000.0, j.getDouble("repliesPerSecond"));
    assertEquals(180.0, j.getDouble("p50Micros"));
    assertEquals(4.0, j.getDouble("serverCpuMicrosPerReply"));
    assertEquals(6.0, j.getDouble("clientCpuMicrosPerReply"));
    assertTrue(r.ok());
    assertTrue(r.summary().contains("4.00 µs/reply"));
  }

  @Test
  void anyErrorOrMissingConnectionOrIdleReplyIsNotOk() {
    LoadSettings s = settings(100, -1);
    assertFalse(new LoadResult(s, 100, 0, 10, 5, 1, 1, 1, 1, 0, 0, 5, null, 0, 100, 0, List.of()).ok());
    assertFalse(new LoadResult(s, 99, 0, 10, 5, 1, 1, 1, 0, 0, 1, 5, null, 0, 100, 0, List.of()).ok());
    assertFalse(new LoadResult(s, 100, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, null, 0, 100, 0, List.of()).ok(), "no replies");
    LoadSettings idle = settings(100, 5);
    assertTrue(new LoadResult(idle, 100, 0, 0, 100, 0, 0, 0, 0, 0, 0, 100, null, 0, 100, 100, List.of()).ok());
    assertFalse(new LoadResult(idle, 100, 0, 0, 99, 0, 0, 0, 0, 0, 0, 99, null, 0, 100, 99, List.of()).ok());
    assertEquals("idle", new LoadResult(idle, 100, 0, 0, 100, 0, 0, 0, 0, 0, 0, 100, null, 0, 100, 100, List.of())
        .toJson().getString("mode"));
  }
}
