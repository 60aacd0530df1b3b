package dev.pixelbus.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The part files of downloads in flight, against the sweep that a stopped process (Ctrl+C) runs. */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class PartFilesTest {
  @TempDir
  Path dir;

  /**
   * A stop that comes once a part file is on disk finds it and deletes it, however late the download's
   * own event loop learns that its file is open. Before, the part was listed for the sweep only when
   * the open's result reached the event loop: a Ctrl+C in between left {@code NAME.part} behind and said
   * "0 unfinished .part file(s) removed" (FetchCommandTest failed so on a loaded machine). Here the event
   * loop is held, deterministically, from the moment the open is asked for until the sweep has run.
   */
  @Test
  void aStopOnceThePartFileExistsDeletesItEvenBeforeTheEventLoopHearsOfIt(Vertx vertx) throws Exception {
    PartFiles parts = new PartFiles(vertx);
    Names names = new Names(new HashSet<>(), false);
    Path part = dir.resolve("big.bin" + Names.PART);
    Context loop = vertx.getOrCreateContext();
    Promise<PartFiles.Opened> opened = Promise.promise();
    CountDownLatch swept = new CountDownLatch(1);
    try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
      dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
      loop.runOnContext(v -> {
        parts.open(dir, "big.bin", names.claim("big.bin"), names).onComplete(opened);
        try {
          // Holds this event loop: whatever the open does next on it waits until the sweep is over.
          swept.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      waitForCreation(watcher, part);
      int removed;
      try {
        removed = parts.deleteInFlight(); // what the command's shutdown hook calls
      } finally {
        swept.countDown();
      }
      assertEquals(1, removed, "the part file on disk was counted");
      assertFalse(Files.exists(part), "and deleted");
    }
    // Whatever the open made of it afterwards, no part file came back.
    Future<PartFiles.Opened> result = opened.future();
    result.transform(ar -> ar.succeeded() ? ar.result().file().close() : Future.succeededFuture()).await();
    assertFalse(Files.exists(part), "no part file after the open completed");
  }

  /** Blocks until {@code file} was created in its folder (it may have been before the watch began). */
  private static void waitForCreation(WatchService watcher, Path file) throws InterruptedException {
    while (!Files.exists(file)) {
      WatchKey key = watcher.poll(20, TimeUnit.SECONDS);
      assertNotNull(key, file + " was never created");
      boolean seen = false;
      for (WatchEvent<?> event : key.pollEvents()) {
        seen |= file.getFileName().equals(event.context());
      }
      key.reset();
      if (seen) {
        return;
      }
    }
    assertTrue(Files.exists(file));
  }
}
