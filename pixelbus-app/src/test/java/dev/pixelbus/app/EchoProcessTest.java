package dev.pixelbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelbus.app.cli.EchoCommand;
import dev.pixelbus.echo.EchoSettings;
import dev.pixelbus.echo.EchoVerticle;
import dev.pixelbus.testkit.LineClient;
import dev.pixelbus.testkit.TestPorts;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The client command, and the server as a process: SIGTERM with clients connected. */
@ExtendWith(VertxExtension.class)
@Timeout(90)
class EchoProcessTest {
  @TempDir
  Path tmp;

  private static String[] runClient(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    EchoCommand command = new EchoCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.US_ASCII)),
        new PrintStream(out, true, StandardCharsets.UTF_8));
    int code = new CommandLine(command).execute(args);
    return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8)};
  }

  /** An echo server on a free port, with the settings given over the section's defaults. */
  private static int startEcho(Vertx vertx, JsonObject echo) {
    EchoVerticle verticle = new EchoVerticle(EchoSettings.from(new JsonObject().put("echo",
        new JsonObject().put("port", 0).put("instances", 2).put("greeting", "").mergeIn(echo))));
    vertx.deployVerticle(verticle).await();
    return verticle.port();
  }

  @Test
  void theClientSendsMessagesOrStdinAndPrintsTheReplies(Vertx vertx) {
    int port = startEcho(vertx, new JsonObject().put("greeting", "welcome"));
    String[] r = runClient("", "127.0.0.1", String.valueOf(port), "hello", "second line");
    assertEquals("0", r[0]);
    assertEquals("welcome\nEchoed back: hello\nEchoed back: second line\n", r[1]);

    StringBuilder lines = new StringBuilder();
    StringBuilder expected = new StringBuilder("welcome\n");
    for (int i = 0; i < 500; i++) { // more than the client's window of lines in flight
      lines.append("line ").append(i).append('\n');
      expected.append("Echoed back: line ").append(i).append('\n');
    }
    r = runClient(lines.append("quit\n").toString(), "127.0.0.1", String.valueOf(port));
    assertEquals("0", r[0]);
    assertEquals(expected.append("Goodbye.\n").toString(), r[1]);
  }

  @Test
  void aTypedLineGoesOutAtOnceAndAServerThatHangsUpEndsTheClient(Vertx vertx) throws Exception {
    int port = startEcho(vertx, new JsonObject());
    java.io.PipedOutputStream keyboard = new java.io.PipedOutputStream();
    java.io.PipedInputStream stdin = new java.io.PipedInputStream(keyboard);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    EchoCommand command = new EchoCommand(stdin, new PrintStream(out, true, StandardCharsets.UTF_8));
    java.util.concurrent.CompletableFuture<Integer> code = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> new CommandLine(command).execute("127.0.0.1", String.valueOf(port)));
    keyboard.write("hello\n".getBytes(StandardCharsets.US_ASCII));
    keyboard.flush();
    // No second line, no end of input: the reply must come anyway (it waited for the next line once).
    for (int i = 0; i < 100 && !out.toString(StandardCharsets.UTF_8).contains("Echoed back: hello"); i++) {
      Thread.sleep(50);
    }
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("Echoed back: hello"), out.toString(StandardCharsets.UTF_8));
    // The server goes away while stdin stays open and silent: the client ends, it does not wait on stdin.
    vertx.deploymentIDs().forEach(id -> vertx.undeploy(id).otherwiseEmpty().await()); // children go with their parent
    assertEquals(0, (int) code.get(20, TimeUnit.SECONDS), out.toString(StandardCharsets.UTF_8));
    keyboard.close();
  }

  @Test
  void theClientSaysWhenTheServerHangsUpOrIsNotThere(Vertx vertx) throws Exception {
    int port = startEcho(vertx, new JsonObject().put("closeAfterReply", true));
    String[] r = runClient("", "127.0.0.1", String.valueOf(port), "one", "two");
    assertEquals("1", r[0], "only one of two lines was answered");
    assertTrue(r[1].startsWith("Echoed back: one\n"), r[1]);
    assertEquals("2", runClient("", "127.0.0.1", String.valueOf(TestPorts.unusedPort()))[0]);
  }

  @Test
  void sigtermWhileTheServerIsStillStartingExitsZero() throws Exception {
    String conf = "{\"http\":{\"port\":0},\"bridge\":{\"port\":0},\"echo\":{\"port\":0},"
        + "\"image\":{\"workers\":1,\"outputRoot\":\"" + tmp.resolve("out") + "\"}}";
    Path log = tmp.resolve("start.log");
    try (ServerProcess server = ServerProcess.start(log, "-conf", conf)) {
      // The first line is logged while the parts deploy: a SIGTERM then closes Vert.x under the deployment,
      // which the launcher alone would answer with exit 15.
      for (int i = 0; i < 600 && Files.size(log) == 0; i++) {
        Thread.sleep(10);
      }
      assertEquals(0, server.stop(), server.log());
    }
  }

  @Test
  void sigtermTellsTheClientsAndExitsZero() throws Exception {
    int port = TestPorts.unusedPort();
    Path log = tmp.resolve("server.log");
    String conf = "{\"shutdownTimeoutMs\":8000,\"http\":{\"port\":0},\"bridge\":{\"port\":0},\"echo\":{\"port\":" + port + ",\"greeting\":\"\"},"
        + "\"image\":{\"workers\":1,\"outputRoot\":\"" + tmp.resolve("out") + "\"}}";
    try (ServerProcess server = ServerProcess.ready(log, "-conf", conf)) {
      try (LineClient a = new LineClient(port); LineClient b = new LineClient(port)) {
        assertEquals("Echoed back: a\r\n", a.send("a\n").line());
        assertEquals("Echoed back: b\r\n", b.send("b\n").line());
        server.process.destroy(); // SIGTERM
        assertEquals("server shutting down; goodbye\r\n", a.line());
        assertEquals("server shutting down; goodbye\r\n", b.line());
        assertTrue(a.closedByServer() && b.closedByServer());
      }
      assertEquals(0, server.exitCode(), server.log());
      String out = server.log();
      assertTrue(out.contains("echo stopped: {\"active\":0,\"accepted\":2"), out);
    }
  }
}
