package dev.pixelbus.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelbus.testkit.TestCli;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code pixelbus fetch} as a user runs it: exit codes, the table, TLS, and a large body in a small heap. */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class FetchCommandTest {
  @TempDir
  Path tmp;

  private static TestCli.Result run(String... args) {
    return TestCli.run(new FetchCommand(), args);
  }

  private static int serve(Vertx vertx, HttpServerOptions options) {
    HttpServer server = vertx.createHttpServer(options).requestHandler(req -> {
      HttpServerResponse res = req.response();
      if (req.path().equals("/missing")) {
        res.setStatusCode(404).end();
      } else {
        res.putHeader("Content-Type", "text/plain").putHeader("X-Version", req.version().name()).end("body of " + req.path());
      }
    });
    return server.listen(0, "127.0.0.1").await().actualPort();
  }

  private static String sha256(String text) throws Exception {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void anAria2InputFileHeadersAndAChecksum(Vertx vertx) throws Exception {
    List<String> tokens = new CopyOnWriteArrayList<>();
    int port = vertx.createHttpServer().requestHandler(req -> {
      tokens.add(req.path() + " " + req.getHeader("X-Token"));
      req.response().putHeader("Content-Type", "text/plain").end("body of " + req.path());
    }).listen(0, "127.0.0.1").await().actualPort();
    String base = "http://127.0.0.1:" + port;
    Path list = tmp.resolve("aria2.txt");
    Files.writeString(list, base + "/a.txt\n  out=first.txt\n  checksum=sha-256=" + sha256("body of /a.txt") + "\n"
        + base + "/b.txt\n  checksum=sha-256=" + sha256("something else") + "\n");
    Path out = tmp.resolve("aria2");
    TestCli.Result r = run("-o", out.toString(), "-i", list.toString(), "-H", "X-Token: t1");
    assertEquals(1, r.code(), r.out());
    assertEquals("body of /a.txt", Files.readString(out.resolve("first.txt")));
    assertTrue(r.out().contains("412  FAILED") && r.out().contains("checksum mismatch: sha-256 expected"), r.out());
    assertTrue(!Files.exists(out.resolve("b.txt")) && !Files.exists(out.resolve("b.txt.part")), "nothing kept of b");
    assertTrue(tokens.containsAll(List.of("/a.txt t1", "/b.txt t1")), tokens.toString());

    r = run("-o", out.toString(), "--checksum", "sha-256=" + sha256("body of /c.txt"), base + "/c.txt");
    assertEquals(0, r.code(), r.out());
    r = run("-o", out.toString(), "--checksum", "sha-256=" + sha256("x"), base + "/c.txt", base + "/d.txt");
    assertEquals(2, r.code(), r.out());
    assertTrue(r.err().contains("--checksum is for one URL"), r.err());
    r = run("-o", out.toString(), "-H", "no colon", base + "/c.txt");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("-H: expected 'Name: value'"), r.err());
  }

  @Test
  void ifModifiedMaxPerHostAndLimitRateFromTheCommandLine(Vertx vertx) throws Exception {
    int port = vertx.createHttpServer().requestHandler(req -> {
      if ("\"e1\"".equals(req.getHeader("If-None-Match"))) {
        req.response().setStatusCode(304).end();
      } else {
        req.response().putHeader("ETag", "\"e1\"").putHeader("Last-Modified", "Tue, 01 Dec 2026 08:00:00 GMT")
            .end("body of " + req.path());
      }
    }).listen(0, "127.0.0.1").await().actualPort();
    String base = "http://127.0.0.1:" + port;
    Path out = tmp.resolve("cond");
    TestCli.Result r = run("-o", out.toString(), "--if-modified", "--max-per-host", "1", "--limit-rate", "1M",
        base + "/x.txt", base + "/y.txt");
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("200 "), r.out());
    r = run("-o", out.toString(), "--if-modified", base + "/x.txt");
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("304 "), "unchanged: left as it is\n" + r.out());
    assertEquals("body of /x.txt", Files.readString(out.resolve("x.txt")));
    r = run("-o", out.toString(), "--limit-rate", "fast", base + "/x.txt");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--limit-rate: not a size: fast"), r.err());
  }

  @Test
  void helpSaysTheCommandIsNotGuardedAsTheServerIs() {
    TestCli.Result r = run("--help");
    assertEquals(0, r.code(), r.out());
    assertTrue(r.out().contains("runs with your own rights") && r.out().contains("fetch.allowHosts"), r.out());
  }

  @Test
  void printsATablePerUrlAndTookAndItsExitCodeSaysWhetherAnyFailed(Vertx vertx) throws Exception {
    int port = serve(vertx, new HttpServerOptions());
    String base = "http://127.0.0.1:" + port;
    Path list = tmp.resolve("urls.txt");
    Files.writeString(list, "# the course's list, locally\n" + base + "/one.txt\n\n" + base + "/two.txt\n");
    Path out = tmp.resolve("out");
    TestCli.Result r = run("-o", out.toString(), "-c", "2", "-i", list.toString(), base + "/three");
    assertEquals(0, r.code(), r.out());
    // Loopback was fetched: the command runs with the user's rights, unlike the server's guarded jobs.
    assertEquals("body of /one.txt", Files.readString(out.resolve("one.txt")));
    assertEquals("body of /three", Files.readString(out.resolve("three.txt")));
    assertTrue(Pattern.compile("(?m)^200 +16 B .* " + Pattern.quote(out.resolve("two.txt").toString())
        + "  <- " + Pattern.quote(base + "/two.txt") + "$").matcher(r.out()).find(), r.out());
    assertTrue(r.out().contains("files: 3, failed: 0"), r.out());
    assertTrue(Pattern.compile("(?m)^Took \\d+\\.\\d{3} seconds\\.$").matcher(r.out()).find(), r.out());

    r = run("-o", out.toString(), base + "/missing", base + "/one.txt");
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("404  FAILED"), r.out());
    assertTrue(Files.exists(out.resolve("one-1.txt")), "the earlier file was kept");
    assertEquals(2, run("-o", out.toString()).code(), "no URLs");
    assertEquals(2, run("-i", tmp.resolve("no-such-list").toString()).code());
  }

  @Test
  void thousandsOfRefusedUrlsAroundGoodOnesAreEachReportedAndTheJobEnds(Vertx vertx) throws Exception {
    // Each refused URL (no scheme) fails at once; thousands in a row once overflowed the stack.
    int port = serve(vertx, new HttpServerOptions());
    String base = "http://127.0.0.1:" + port;
    StringBuilder urls = new StringBuilder(base + "/first.txt\n");
    for (int i = 0; i < 5000; i++) {
      urls.append("example.com/page").append(i).append('\n');
    }
    urls.append(base).append("/last.txt\n");
    Path list = tmp.resolve("many.txt");
    Files.writeString(list, urls);
    Path out = tmp.resolve("many");
    TestCli.Result r = run("-o", out.toString(), "-c", "4", "-i", list.toString(), "--no-table");
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("files: 2, failed: 5000"), r.out());
    assertEquals("body of /first.txt", Files.readString(out.resolve("first.txt")));
    assertEquals("body of /last.txt", Files.readString(out.resolve("last.txt")));

    // A report that cannot be written says so, keeps the downloads, and exits 2 (not a stack trace).
    r = run("-o", out.toString(), "--json", tmp.resolve("no-such-folder").resolve("r.json").toString(), base + "/kept.txt");
    assertEquals(2, r.code(), r.out());
    assertEquals("body of /kept.txt", Files.readString(out.resolve("kept.txt")));
  }

  @Test
  void verifiesTlsUnlessInsecureAndSpeaksHttp2WhereOffered(Vertx vertx) throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
    int port = serve(vertx, new HttpServerOptions().setSsl(true).setUseAlpn(true)
        .setKeyCertOptions(cert.keyCertOptions()));
    String url = "https://127.0.0.1:" + port + "/secret.txt";
    Path out = tmp.resolve("tls");
    TestCli.Result r = run("-o", out.toString(), url);
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("502  FAILED") && r.out().contains("TLS"), r.out());
    assertTrue(!Files.exists(out.resolve("secret.txt")));

    r = run("-o", out.toString(), "--insecure", "--json", tmp.resolve("r.json").toString(), url);
    assertEquals(0, r.code(), r.out());
    assertEquals("body of /secret.txt", Files.readString(out.resolve("secret.txt")));
  }

  @Test
  void http2IsNegotiatedOverTls(Vertx vertx) throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
    List<HttpVersion> seen = new CopyOnWriteArrayList<>();
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setUseAlpn(true)
        .setKeyCertOptions(cert.keyCertOptions())).requestHandler(req -> {
          seen.add(req.version());
          req.response().end("h");
        });
    int port = server.listen(0, "127.0.0.1").await().actualPort();
    assertEquals(0, run("-o", tmp.resolve("h2").toString(), "--insecure", "https://127.0.0.1:" + port + "/a").code());
    assertEquals(List.of(HttpVersion.HTTP_2), seen);
  }

  /** The body streams to disk: a 512 MB download in a JVM with a 64 MB heap (override: -Dpixelbus.test.bigMb). */
  @Test
  void aBodyManyTimesTheHeapStreamsToDisk(Vertx vertx) throws Exception {
    long size = Long.getLong("pixelbus.test.bigMb", 512) << 20;
    Buffer block = Buffer.buffer(new byte[1 << 20]);
    for (int i = 0; i < block.length(); i++) {
      block.setByte(i, (byte) (i * 31));
    }
    HttpServer server = vertx.createHttpServer().requestHandler(req -> {
      HttpServerResponse res = req.response().putHeader("Content-Length", String.valueOf(size));
      long[] sent = {0};
      Runnable[] pump = new Runnable[1];
      pump[0] = () -> {
        while (sent[0] < size && !res.writeQueueFull()) {
          res.write(block);
          sent[0] += block.length();
        }
        if (sent[0] >= size) {
          res.end();
        } else {
          res.drainHandler(v -> pump[0].run());
        }
      };
      pump[0].run();
    });
    int port = server.listen(0, "127.0.0.1").await().actualPort();
    Path out = tmp.resolve("big");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
        "-cp", System.getProperty("java.class.path"), "dev.pixelbus.app.Main", "fetch", "-o", out.toString(),
        "http://127.0.0.1:" + port + "/big.bin").redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(100, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), output);
    Path file = out.resolve("big.bin");
    assertEquals(size, Files.size(file), output);
    byte[] head = new byte[1 << 20];
    try (var in = Files.newInputStream(file)) {
      assertEquals(head.length, in.readNBytes(head, 0, head.length));
    }
    assertArrayEquals(block.getBytes(), head);
    Files.delete(file);
  }

  @Test
  void stoppingTheCommandMidDownloadLeavesNoPartFile(Vertx vertx) throws Exception {
    // 100 MB announced, 64 KB every 50 ms: still running when the process is stopped.
    HttpServer slow = vertx.createHttpServer().requestHandler(req -> {
      HttpServerResponse res = req.response().putHeader("Content-Length", String.valueOf(100L << 20));
      long timer = vertx.setPeriodic(50, id -> res.write(Buffer.buffer(new byte[64 << 10])));
      req.connection().closeHandler(v -> vertx.cancelTimer(timer));
    });
    int port = slow.listen(0, "127.0.0.1").await().actualPort();
    Path out = tmp.resolve("stopped");
    Path log = tmp.resolve("fetch.log");
    Process fetch = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "dev.pixelbus.app.Main", "fetch", "-o", out.toString(),
        "http://127.0.0.1:" + port + "/big.bin")).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      Path part = out.resolve("big.bin.part");
      for (int i = 0; i < 300 && !Files.exists(part); i++) {
        Thread.sleep(100);
      }
      assertTrue(Files.exists(part), "the download started: " + Files.readString(log));
      fetch.destroy(); // SIGTERM, as Ctrl+C's SIGINT: the JVM runs its shutdown hooks
      assertTrue(fetch.waitFor(30, TimeUnit.SECONDS));
      assertTrue(!Files.exists(part) && !Files.exists(out.resolve("big.bin")), "nothing left: " + Files.readString(log));
      assertTrue(Files.readString(log).contains("interrupted; 1 unfinished .part file(s) removed"), Files.readString(log));
    } finally {
      fetch.destroyForcibly();
    }
  }
}
