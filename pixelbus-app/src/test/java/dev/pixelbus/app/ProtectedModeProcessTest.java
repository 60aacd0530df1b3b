package dev.pixelbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelbus.testkit.TestImages;
import dev.pixelbus.testkit.TestPorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server started as an operator starts it beyond loopback: protected mode refuses to serve without
 * credentials, in one line; tokens from the environment guard the API and never reach the log. The
 * listeners bind 0.0.0.0 on a free port for the few seconds of a test; the test calls them on 127.0.0.1.
 */
@Timeout(120)
class ProtectedModeProcessTest {
  static final String TOKEN = "process-token-" + Long.toHexString(System.nanoTime()) + "abcdef";

  @TempDir
  Path tmp;

  private final HttpClient http = HttpClient.newHttpClient();

  private String conf(String extra) {
    return "{\"bridge\":{\"enabled\":false},\"echo\":{\"port\":0},\"image\":{\"workers\":1,\"outputRoot\":\""
        + tmp.resolve("out") + "\"}" + extra + "}";
  }

  /** The lines the process wrote that tell the operator why it stopped. */
  private static List<String> why(ServerProcess server) throws Exception {
    return server.log().lines().filter(l -> l.startsWith("pixelbus: ")).toList();
  }

  @Test
  void beyondLoopbackWithoutTokensTheStartStopsWithOneLineNamingAuthTokens() throws Exception {
    try (ServerProcess server = ServerProcess.start(tmp.resolve("open.log"),
        "-conf", conf(",\"http\":{\"host\":\"0.0.0.0\",\"port\":0}"))) {
      assertEquals(2, server.exitCode(), server.log());
      List<String> lines = why(server);
      assertEquals(1, lines.size(), server.log());
      assertTrue(lines.get(0).startsWith("pixelbus: protected mode: http.host 0.0.0.0 would serve beyond loopback")
          && lines.get(0).contains("auth.tokens"), lines.get(0));
    }
    try (ServerProcess server = ServerProcess.start(tmp.resolve("echo.log"), Map.of("PIXELBUS_AUTH_TOKENS", TOKEN),
        "-conf", conf(",\"echo\":{\"host\":\"0.0.0.0\",\"port\":0}"))) {
      assertEquals(2, server.exitCode(), server.log());
      List<String> lines = why(server);
      assertEquals(1, lines.size(), server.log());
      assertTrue(lines.get(0).contains("echo.public: true") && lines.get(0).contains("echo takes no credentials"),
          lines.get(0));
      assertFalse(server.log().contains(TOKEN), "no token in the log");
    }
  }

  @Test
  void allowAnonymousServesAndWarnsButFetchesSourcesOnlyForSignedUrls() throws Exception {
    // Anonymous beyond loopback with source GETs on and no key: an open proxy and free resizer, so no start.
    try (ServerProcess server = ServerProcess.start(tmp.resolve("sources.log"), "-conf",
        conf(",\"http\":{\"host\":\"0.0.0.0\",\"port\":0},\"auth\":{\"allowAnonymous\":true}"))) {
      assertEquals(2, server.exitCode(), server.log());
      List<String> lines = why(server);
      assertEquals(1, lines.size(), server.log());
      assertTrue(lines.get(0).contains("would fetch and resize any source URL for anyone")
          && lines.get(0).contains("http.sources.signingKeys"), lines.get(0));
    }
    String key = "process-signing-key-" + Long.toHexString(System.nanoTime());
    int port = TestPorts.unusedPort();
    try (ServerProcess server = ServerProcess.ready(tmp.resolve("anonymous.log"),
        Map.of("PIXELBUS_HTTP_SOURCES_SIGNING_KEYS", key), "-conf",
        conf(",\"http\":{\"host\":\"0.0.0.0\",\"port\":" + port + "},\"auth\":{\"allowAnonymous\":true}"))) {
      assertEquals(200, get(port, "/metrics", null).statusCode());
      assertTrue(server.log().contains("Serving beyond loopback without credentials (http.host 0.0.0.0)"), server.log());
      // Unsigned source GETs are refused before any source is contacted; the key is in no log line.
      HttpResponse<String> unsigned = get(port, "/v1/images/grayscale?url=http%3A%2F%2F127.0.0.1%3A1%2Fa.png", null);
      assertEquals(403, unsigned.statusCode(), unsigned.body());
      assertTrue(unsigned.body().contains("sig is missing"), unsigned.body());
      assertFalse(server.log().contains(key), "no signing key in the log");
    }
  }

  @Test
  void tokensFromTheEnvironmentGuardTheApiAndStayOutOfTheLog() throws Exception {
    int port = TestPorts.unusedPort();
    try (ServerProcess server = ServerProcess.ready(tmp.resolve("tokens.log"), Map.of("PIXELBUS_AUTH_TOKENS", TOKEN),
        "-conf", conf(",\"http\":{\"host\":\"0.0.0.0\",\"port\":" + port + "}"))) {
      HttpResponse<String> none = get(port, "/metrics", null);
      assertEquals(401, none.statusCode(), none.body());
      assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer realm=\"pixelbus\""),
          none.headers().map().toString());
      assertTrue(none.body().contains("\"code\":401"), none.body());
      assertEquals(401, get(port, "/metrics", "not-the-token-0123456789").statusCode());
      assertEquals(200, get(port, "/metrics", TOKEN).statusCode());
      assertEquals(200, get(port, "/health", null).statusCode(), "health stays open");
      assertEquals(200, get(port, "/", null).statusCode(), "the page stays open");
      HttpResponse<String> info = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/images/info"))
          .header("Authorization", "Bearer " + TOKEN)
          .POST(HttpRequest.BodyPublishers.ofByteArray(TestImages.bytes(TestImages.ASTRONAUT_PNG))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, info.statusCode(), info.body());
      assertTrue(info.body().contains("\"width\":256"), info.body());
      server.stop();
      String log = server.log();
      assertFalse(log.contains(TOKEN), "the token is in no line of the log:\n" + log);
    }
  }

  private HttpResponse<String> get(int port, String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
