package dev.pixelbus.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelbus.testkit.TestCli;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pixelbus fetch --continue} killed with SIGKILL in the middle of a 100 MB download, then run
 * again: the file ends byte-identical, and the second run asked only for what was missing.
 */
@ExtendWith(VertxExtension.class)
@Timeout(180)
class FetchKilledResumeTest {
  static final int SIZE = 100 << 20;
  static final int CHUNK = 1 << 20;

  @TempDir
  Path tmp;
  final byte[] content = new byte[SIZE];
  /** Per request: its Range header and the bytes the server wrote for it. */
  final List<String> requests = new CopyOnWriteArrayList<>();

  @Test
  void killedMidDownloadThenContinuedEndsByteIdentical(Vertx vertx) throws Exception {
    new Random(42).nextBytes(content);
    int port = vertx.createHttpServer().requestHandler(r -> serve(vertx, r)).listen(0, "127.0.0.1").await().actualPort();
    String url = "http://127.0.0.1:" + port + "/hundred.bin";
    Path out = tmp.resolve("out");
    Path part = out.resolve("hundred.bin.part");

    // The first run, as its own process, killed once a fifth of the body is on disk.
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), "dev.pixelbus.app.Main", "fetch", "--continue", "-o", out.toString(), url);
    Process first = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("first.log").toFile()).start();
    for (int i = 0; i < 1200 && first.isAlive() && (!Files.exists(part) || Files.size(part) < SIZE / 5); i++) {
      Thread.sleep(50);
    }
    assertTrue(Files.exists(part) && Files.size(part) >= SIZE / 5, "the first run got going: " + Files.readString(tmp.resolve("first.log")));
    first.destroyForcibly(); // SIGKILL: no hook runs
    assertTrue(first.waitFor(30, TimeUnit.SECONDS));
    assertEquals(137, first.exitValue(), "killed");
    long kept = Files.size(part);
    assertTrue(kept < SIZE, "killed before the end: " + kept);

    TestCli.Result second = TestCli.run(new FetchCommand(), "--continue", "-o", out.toString(), url);
    assertEquals(0, second.code(), second.out() + second.err());
    byte[] got = Files.readAllBytes(out.resolve("hundred.bin"));
    int firstDiff = -1;
    for (int i = 0; i < Math.min(got.length, content.length); i++) {
      if (got[i] != content[i]) {
        firstDiff = i;
        break;
      }
    }
    assertArrayEquals(sha256(content), sha256(got), "byte-identical; length " + got.length + ", first difference at "
        + firstDiff + ", kept " + kept + ", requests " + requests + "\n" + second.out() + second.err());
    assertEquals("bytes=" + kept + "- sent " + (SIZE - kept), requests.get(requests.size() - 1),
        "the second run asked only for what was missing: " + requests);
    assertTrue(second.out().contains("206 "), second.out());
    try (var left = Files.list(out)) {
      assertEquals(List.of("hundred.bin"), left.map(p -> p.getFileName().toString()).toList());
    }
  }

  /** Ranges with If-Range on the ETag; the body at about 100 MB/s, a megabyte at a time, with back-pressure. */
  private void serve(Vertx vertx, HttpServerRequest r) {
    HttpServerResponse res = r.response().putHeader("ETag", "\"hundred\"").putHeader("Accept-Ranges", "bytes");
    String range = r.getHeader("Range");
    int from = 0;
    if (range != null && "\"hundred\"".equals(r.getHeader("If-Range"))) {
      from = Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
      res.setStatusCode(206).putHeader("Content-Range", "bytes " + from + "-" + (SIZE - 1) + "/" + SIZE);
    }
    res.putHeader("Content-Length", String.valueOf(SIZE - from));
    int start = from;
    long[] sent = {0};
    int[] at = {from};
    vertx.setPeriodic(10, id -> {
      if (res.closed() || res.ended()) {
        vertx.cancelTimer(id);
        return;
      }
      while (!res.writeQueueFull() && at[0] < SIZE) {
        int n = Math.min(CHUNK, SIZE - at[0]);
        res.write(Buffer.buffer(java.util.Arrays.copyOfRange(content, at[0], at[0] + n)));
        at[0] += n;
        sent[0] += n;
        if (at[0] < SIZE) {
          break; // one megabyte a tick
        }
      }
      if (at[0] >= SIZE) {
        vertx.cancelTimer(id);
        res.end();
        requests.add((range == null ? "whole" : range) + " sent " + (SIZE - start));
      }
    });
  }

  private static byte[] sha256(byte[] data) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(data);
  }
}
