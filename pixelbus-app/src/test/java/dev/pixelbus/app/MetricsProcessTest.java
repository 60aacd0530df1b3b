package dev.pixelbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelbus.testkit.LineClient;
import dev.pixelbus.testkit.TestPorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} of the server started as a user starts it: Vert.x's own series and the JVM's beside
 * pixelbus's by default, and the metrics options of {@code -options} taking effect.
 */
@Timeout(120)
class MetricsProcessTest {
  @TempDir
  Path tmp;

  private final HttpClient http = HttpClient.newHttpClient();

  private String conf(int httpPort, int echoPort) {
    return "{\"http\":{\"port\":" + httpPort + "},\"bridge\":{\"port\":0},\"echo\":{\"port\":" + echoPort + ",\"greeting\":\"\"},"
        + "\"image\":{\"workers\":1,\"outputRoot\":\"" + tmp.resolve("out") + "\"}}";
  }

  private String get(int port, String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    return r.body();
  }

  @Test
  void vertxAndJvmSeriesSitBesidePixelbusOnes() throws Exception {
    int httpPort = TestPorts.unusedPort();
    int echoPort = TestPorts.unusedPort();
    try (ServerProcess server = ServerProcess.ready(tmp.resolve("server.log"), "-conf", conf(httpPort, echoPort))) {
      try (LineClient c = new LineClient(echoPort)) {
        assertEquals("Echoed back: hi\r\n", c.send("hi\n").line());
      }
      get(httpPort, "/health");
      String metrics = get(httpPort, "/metrics");
      for (String series : new String[] {"vertx_http_server_requests_total{code=\"200\",method=\"GET\"}",
          "vertx_eventbus_handlers", "vertx_eventbus_sent_total", "vertx_net_server_active_connections",
          "vertx_pool_", "jvm_memory_used_bytes", "jvm_gc_", "process_cpu_usage", "pixelbus_image_workers 1.0",
          "pixelbus_echo_lines_total"}) {
        assertTrue(metrics.contains(series), series + " in\n" + metrics);
      }
      assertTrue(server.log().contains("/metrics: Vert.x, JVM and pixelbus series"), server.log());
    }
  }

  @Test
  void metricsOptionsGivenWithOptionsTakeEffect() throws Exception {
    int httpPort = TestPorts.unusedPort();
    String labels = "{\"metricsOptions\":{\"labels\":[\"HTTP_METHOD\",\"HTTP_CODE\",\"HTTP_PATH\"],"
        + "\"jvmMetricsEnabled\":false}}";
    try (ServerProcess server = ServerProcess.ready(tmp.resolve("labels.log"), "-conf", conf(httpPort, 0),
        "-options", labels)) {
      get(httpPort, "/health");
      String metrics = get(httpPort, "/metrics");
      assertTrue(metrics.contains("vertx_http_server_requests_total{code=\"200\",method=\"GET\",path=\"/health\"}"),
          metrics);
      assertFalse(metrics.contains("jvm_memory_used_bytes"), "jvmMetricsEnabled false: " + metrics);
    }
    int offPort = TestPorts.unusedPort();
    try (ServerProcess server = ServerProcess.ready(tmp.resolve("off.log"), "-conf", conf(offPort, 0),
        "-options", "{\"metricsOptions\":{\"enabled\":false}}")) {
      String metrics = get(offPort, "/metrics");
      assertFalse(metrics.contains("vertx_"), metrics);
      assertTrue(metrics.contains("pixelbus_image_workers 1.0"), metrics);
      assertTrue(server.log().contains("/metrics: pixelbus series only"), server.log());
    }
  }
}
