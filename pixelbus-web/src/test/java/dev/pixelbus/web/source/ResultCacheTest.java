package dev.pixelbus.web.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The result cache's files: whole or not at all, across a restart and beside another process writing the same
 * folder, least recently used out at the bound. Each call runs on a Vert.x context, as the HTTP part's does.
 */
@ExtendWith(VertxExtension.class)
class ResultCacheTest {
  @TempDir
  Path dir;
  final AtomicInteger evicted = new AtomicInteger();

  private ResultCache cache(Vertx vertx, long maxBytes) {
    ResultCache c = new ResultCache(vertx, dir, maxBytes, new ResultCache.Stats() {
      @Override
      public void hit() {
      }

      @Override
      public void miss() {
      }

      @Override
      public void evicted(int entries) {
        evicted.addAndGet(entries);
      }
    });
    onContext(vertx, c::open);
    return c;
  }

  /** Runs a cache call on a context of its own and waits for it here. */
  private static <T> T onContext(Vertx vertx, Supplier<Future<T>> call) {
    return Future.<T>future(p -> vertx.getOrCreateContext().runOnContext(v -> call.get().onComplete(p))).await();
  }

  private static CachedResult result(int size, String etag) {
    byte[] body = new byte[size];
    Arrays.fill(body, (byte) 7);
    return new CachedResult(new JsonObject().put("contentType", "image/png").put("etag", etag).put("freshUntil", 1L), body);
  }

  private static String key(char c) {
    return String.valueOf(c).repeat(64);
  }

  @Test
  void aResultSurvivesARestartAndHalfWrittenFilesDoNot(Vertx vertx) throws Exception {
    ResultCache first = cache(vertx, 1 << 20);
    onContext(vertx, () -> first.put(key('a'), result(1000, "\"a\"")));
    // What a crash leaves: a temporary file never renamed, and a cut file in the place of a result.
    Files.createDirectories(dir.resolve("bb"));
    Files.createDirectories(dir.resolve("cc"));
    Files.writeString(dir.resolve("bb").resolve(key('b') + ".1234.tmp"), "half");
    Files.write(dir.resolve("cc").resolve(key('c')), Arrays.copyOf(result(1000, "\"c\"").encode(), 500));
    ResultCache again = cache(vertx, 1 << 20);
    assertFalse(Files.exists(dir.resolve("bb").resolve(key('b') + ".1234.tmp")), "the temporary file is gone at start");
    CachedResult a = onContext(vertx, () -> again.get(key('a')));
    assertEquals("\"a\"", a.etag());
    assertArrayEquals(result(1000, "\"a\"").body(), a.body());
    assertNull(onContext(vertx, () -> again.get(key('c'))), "a cut file is no result");
    assertFalse(Files.exists(dir.resolve("cc").resolve(key('c'))), "and it is deleted");
  }

  @Test
  void twoWritersOfOneFolderNeverLeaveAHalfFile(Vertx vertx) {
    ResultCache one = cache(vertx, 1 << 22);
    ResultCache two = cache(vertx, 1 << 22);
    List<Future<Void>> writes = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      int n = i;
      writes.add(Future.future(p -> vertx.getOrCreateContext().runOnContext(v ->
          (n % 2 == 0 ? one : two).put(key('d'), result(50_000 + n, "\"" + n + "\"")).onComplete(p))));
    }
    Future.all(writes).await();
    CachedResult seen = onContext(vertx, () -> one.get(key('d')));
    int n = Integer.parseInt(seen.etag().replace("\"", ""));
    assertEquals(50_000 + n, seen.body().length, "whichever write won, whole");
    assertTrue(onContext(vertx, () -> two.get(key('d'))) != null, "the other writer reads it too");
  }

  @Test
  void theLeastRecentlyUsedGoFirstAtTheBound(Vertx vertx) {
    int size = result(10_000, "\"x\"").encode().length;
    ResultCache c = cache(vertx, 2L * size + 100);
    onContext(vertx, () -> c.put(key('e'), result(10_000, "\"e\"")));
    onContext(vertx, () -> c.put(key('f'), result(10_000, "\"f\"")));
    onContext(vertx, () -> c.get(key('e'))); // e is now the more recent
    onContext(vertx, () -> c.put(key('g'), result(10_000, "\"g\"")));
    assertEquals(1, evicted.get());
    assertTrue(c.bytes() <= 2L * size + 100);
    assertNull(onContext(vertx, () -> c.get(key('f'))), "f was the least recently used");
    assertEquals("\"e\"", onContext(vertx, () -> c.get(key('e'))).etag());
    assertEquals("\"g\"", onContext(vertx, () -> c.get(key('g'))).etag());
  }
}
