package dev.pixelbus.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelbus.api.Addresses;
import dev.pixelbus.testkit.TestTls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.junit5.VertxExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The request-forgery guard on real sockets: jobs of the server may not reach internal addresses,
 * by literal, by a name that resolves to one (names come from src/test/resources/hosts), or by a
 * redirect; each is 403, and the internal server never sees a connection.
 */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class FetchGuardTest {
  @TempDir
  Path tmp;
  Vertx vertx;
  /** A server on 127.0.0.1, the host the tests let through when they allow one. */
  int front;
  /** A server on 127.0.0.2, loopback too, that no test allows: it must never see a connection. */
  int inside;
  final AtomicInteger insideConnections = new AtomicInteger();
  final Map<String, String> seen = new ConcurrentHashMap<>();

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    inside = vertx.createHttpServer().connectionHandler(c -> insideConnections.incrementAndGet())
        .requestHandler(r -> r.response().end("internal secret")).listen(0, "127.0.0.2").await().actualPort();
    front = vertx.createHttpServer().requestHandler(r -> {
      switch (r.path()) {
        case "/ok" -> r.response().end("public page");
        case "/to-inside" -> redirect(r, "http://127.0.0.2:" + inside + "/");
        case "/to-inside-by-name" -> redirect(r, "http://other-loopback.pixelbus.test:" + inside + "/");
        case "/to-metadata" -> redirect(r, "http://metadata.pixelbus.test/latest/meta-data/");
        case "/to" -> redirect(r, r.getParam("url"));
        default -> r.response().setStatusCode(404).end();
      }
    }).listen(0, "127.0.0.1").await().actualPort();
  }

  private static void redirect(HttpServerRequest r, String to) {
    r.response().setStatusCode(302).putHeader("Location", to).end();
  }

  private void deploy(JsonObject fetch) {
    JsonObject conf = new JsonObject().put("fetch", fetch.copy().put("outputRoot", tmp.resolve("downloads").toString())
        .put("connectTimeoutMs", 2000).put("retries", 0));
    vertx.deployVerticle(new FetchVerticle(FetchSettings.from(conf), FetchVerticle.Destinations.GUARDED)).await();
  }

  private ReplyException refused(String... urls) {
    Throwable e = vertx.eventBus().request(Addresses.FETCH, new JsonObject().put("urls", new JsonArray(List.of(urls)))
        .put("dir", "job")).transform(ar -> Future.succeededFuture(ar.cause())).await();
    return assertInstanceOf(ReplyException.class, e, "the job must fail whole");
  }

  private JsonObject fetch(String... urls) {
    return vertx.eventBus().<JsonObject>request(Addresses.FETCH, new JsonObject()
        .put("urls", new JsonArray(List.of(urls))).put("dir", "job")).await().body();
  }

  private Map<String, JsonObject> failures(JsonObject reply) {
    return reply.getJsonArray("failed").stream().map(o -> (JsonObject) o)
        .collect(Collectors.toMap(o -> o.getString("url"), o -> o));
  }

  private void assertNothingWritten() throws Exception {
    Path dir = tmp.resolve("downloads/job");
    assertTrue(!Files.exists(dir) || Files.list(dir).findAny().isEmpty(), "nothing written");
  }

  @Test
  void byDefaultNamesThatResolveInsideAre403AndNoSocketOpens() throws Exception {
    deploy(new JsonObject());
    Map<String, String> kinds = Map.of(
        "http://localhost:" + inside + "/", "localhost resolves to 127.0.0.1, which is a loopback address",
        "http://other-loopback.pixelbus.test:" + inside + "/", "resolves to 127.0.0.2, which is a loopback address",
        "http://metadata.pixelbus.test/latest/meta-data/", "resolves to 169.254.169.254, which is a link-local address",
        "http://private.pixelbus.test/", "resolves to 10.20.30.40, which is a private address",
        "http://router.pixelbus.test:8080/admin", "resolves to 192.168.1.1, which is a private address",
        "http://mixed.pixelbus.test/", "resolves to 10.0.0.1, which is a private address",
        "http://127.0.0.2:" + inside + "/", "127.0.0.2 is a loopback address",
        "https://[::1]:" + inside + "/", "[::1] is a loopback address");
    for (Map.Entry<String, String> k : kinds.entrySet()) {
      ReplyException e = refused(k.getKey());
      assertEquals(403, e.failureCode(), e.getMessage());
      assertTrue(e.getMessage().startsWith("refused: ") && e.getMessage().contains(k.getValue()), e.getMessage());
    }
    assertEquals(0, insideConnections.get(), "no socket was opened to an internal address");
    assertNothingWritten();
  }

  @ParameterizedTest
  @CsvSource({
      "r-loopback, 127.0.0.9, loopback", "r-loopback6, 0:0:0:0:0:0:0:1, loopback",
      "r-unspecified, 0.0.0.0, unspecified", "r-unspecified6, 0:0:0:0:0:0:0:0, unspecified",
      "r-private10, 10.1.2.3, private", "r-private172, 172.16.5.4, private", "r-private192, 192.168.0.10, private",
      "r-private6, fd00:0:0:0:0:0:0:1, private (unique local)",
      "r-linklocal, 169.254.169.254, link-local", "r-linklocal6, fe80:0:0:0:0:0:0:1, link-local",
      "r-shared, 100.64.0.1, shared (carrier-grade NAT)",
      "r-multicast, 224.0.0.251, multicast", "r-multicast6, ff02:0:0:0:0:0:0:fb, multicast",
      "r-reserved, 240.0.0.1, reserved", "r-broadcast, 255.255.255.255, reserved",
      "r-nat64, 64:ff9b:0:0:0:0:7f00:1, loopback (127.0.0.1 inside)"})
  void eachRefusedRangeByNameAndByRedirect(String name, String address, String kind) throws Exception {
    deploy(new JsonObject().put("allowHosts", new JsonArray().add("127.0.0.1/32")));
    String target = "http://" + name + ".pixelbus.test:" + inside + "/";
    String why = name + ".pixelbus.test resolves to " + address + ", which is a " + kind + " address";
    ReplyException direct = refused(target);
    assertEquals(403, direct.failureCode());
    assertTrue(direct.getMessage().startsWith("refused: " + why), direct.getMessage());
    String hop = "http://127.0.0.1:" + front + "/to?url=" + URLEncoder.encode(target, StandardCharsets.UTF_8);
    ReplyException redirected = refused(hop);
    assertEquals(403, redirected.failureCode());
    assertTrue(redirected.getMessage().startsWith("refused: " + why), redirected.getMessage());
    assertEquals(0, insideConnections.get());
    assertNothingWritten();
  }

  @Test
  void aRedirectInsideIsRefusedAtItsHop() throws Exception {
    deploy(new JsonObject().put("allowHosts", new JsonArray().add("127.0.0.1/32")));
    String base = "http://127.0.0.1:" + front;
    JsonObject reply = fetch(base + "/ok", base + "/to-inside", base + "/to-inside-by-name", base + "/to-metadata");
    assertEquals(1, reply.getJsonArray("files").size(), reply.encodePrettily());
    assertEquals("public page", Files.readString(Path.of(reply.getJsonArray("files").getJsonObject(0).getString("file"))));
    Map<String, JsonObject> failed = failures(reply);
    assertEquals(3, failed.size(), reply.encodePrettily());
    assertEquals(3, reply.getInteger("refused"));
    for (JsonObject f : failed.values()) {
      assertEquals(403, f.getInteger("code"), f.encode());
    }
    assertTrue(failed.get(base + "/to-inside").getString("message").contains("127.0.0.2 is a loopback address"));
    assertTrue(failed.get(base + "/to-metadata").getString("message").contains("169.254.169.254"));
    assertEquals(0, insideConnections.get(), "the redirect's target never saw a connection");
  }

  @Test
  void denyHostsWinsAndAnAllowListRefusesTheRest() throws Exception {
    deploy(new JsonObject().put("allowHosts", new JsonArray().add("127.0.0.1/32").add("127.0.0.2/32"))
        .put("denyHosts", new JsonArray().add("*.pixelbus.test")));
    ReplyException denied = refused("http://other-loopback.pixelbus.test:" + inside + "/");
    assertEquals("refused: other-loopback.pixelbus.test is in fetch.denyHosts", denied.getMessage());
    assertEquals(0, insideConnections.get());
    // An address the list allows is fetched, even an internal one: the operator said so.
    JsonObject allowed = fetch("http://127.0.0.2:" + inside + "/");
    assertEquals(1, allowed.getJsonArray("files").size(), allowed.encodePrettily());
    assertEquals(1, insideConnections.get());
    ReplyException notListed = refused("http://127.0.0.3:" + inside + "/");
    assertTrue(notListed.getMessage().contains("127.0.0.3 is a loopback address"), notListed.getMessage());
  }

  @Test
  void theCheckedAddressIsConnectedAndTheNameStillSentForHostAndTls() throws Exception {
    TestTls.Pair pair = TestTls.copy("server", tmp);
    HttpServer tls = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setSni(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(pair.cert().toString()).setKeyPath(pair.key().toString())));
    int port = tls.requestHandler(r -> {
      seen.put("host", r.authority().host());
      seen.put("sni", String.valueOf(r.connection().indicatedServerName()));
      seen.put("local", r.localAddress().hostAddress());
      r.response().end("over tls");
    }).listen(0, "127.0.0.1").await().actualPort();
    deploy(new JsonObject().put("allowHosts", new JsonArray().add("127.0.0.1/32")).put("insecure", true));
    // A dotted name: the JDK sends no SNI for a name without a dot, such as localhost.
    JsonObject reply = fetch("https://loopback.pixelbus.test:" + port + "/tls.txt");
    assertEquals(1, reply.getJsonArray("files").size(), reply.encodePrettily());
    assertEquals(Map.of("host", "loopback.pixelbus.test", "sni", "loopback.pixelbus.test", "local", "127.0.0.1"), seen);
  }
}
