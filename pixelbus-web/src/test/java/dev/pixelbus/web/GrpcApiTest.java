package dev.pixelbus.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.pixelbus.api.Addresses;
import dev.pixelbus.common.auth.AuthSettings;
import dev.pixelbus.common.auth.TlsSettings;
import dev.pixelbus.grpc.GrpcSettings;
import dev.pixelbus.grpc.v1.ApplyReply;
import dev.pixelbus.grpc.v1.ApplyRequest;
import dev.pixelbus.grpc.v1.BatchEvent;
import dev.pixelbus.grpc.v1.BatchRequest;
import dev.pixelbus.grpc.v1.ImagesGrpcClient;
import dev.pixelbus.grpc.v1.Step;
import dev.pixelbus.image.ImageModule;
import dev.pixelbus.image.ops.Operation;
import dev.pixelbus.image.ops.Operations;
import dev.pixelbus.testkit.TestImages;
import dev.pixelbus.testkit.TestTls;
import dev.pixelbus.web.source.SourceSettings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * The gRPC services through Vert.x's gRPC client and the Java that vertx-grpc-protoc-plugin2 generated from
 * pixelbus.proto, against the real HTTP API on a real port, as another team's client would call them. The calls use
 * the generated method descriptors with the client's request API: the generated {@code ImagesGrpcClient} methods
 * cannot send metadata (the token) in 5.0.7, nor show grpc-message on a failure.
 */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class GrpcApiTest {
  static final String TOKEN = "t0ken-for-the-grpc-tests-0123456789";

  @TempDir
  Path tmp;
  Vertx vertx;
  GrpcClient client;
  SocketAddress server;
  int port;
  /** Image settings a test changes (workers, queue). */
  JsonObject imageOverrides = new JsonObject();
  /** http.cors.allowedOrigins of a test. */
  List<String> allowedOrigins = List.of();

  /** A failed call: its status and grpc-message. */
  record Failed(GrpcStatus status, String message) {
  }

  private void start(Vertx vertx, JsonObject auth, TlsSettings tls, long maxInputBytes) {
    this.vertx = vertx;
    JsonObject conf = new JsonObject().put("image", new JsonObject().put("workers", 2).put("maxInputBytes", maxInputBytes)
        .put("inputRoots", new JsonArray().add(tmp.toString())).put("outputRoot", tmp.resolve("out").toString()));
    conf.getJsonObject("image").mergeIn(imageOverrides);
    ImageModule.deploy(vertx, conf).await();
    // 0.0.0.0: served beyond loopback, where tokens are asked for (protected mode makes them required there)
    HttpSettings http = HttpSettings.builder().enabled(true).host("0.0.0.0").port(0).maxBodyBytes(1 << 20)
        .uploadsDir(tmp.resolve("uploads")).requestTimeoutMs(60_000).fetchTimeoutMs(60_000).maxInFlight(32)
        .bodyTimeoutMs(60_000).tls(tls).allowedOrigins(allowedOrigins).build();
    HttpApiVerticle api = new HttpApiVerticle(http, SourceSettings.from(conf), dev.pixelbus.bridge.BridgeSettings.from(
        new JsonObject()), AuthSettings.from(new JsonObject().put("auth", auth)), false, GrpcSettings.from(conf));
    vertx.deployVerticle(api).await();
    port = api.actualPort();
    server = SocketAddress.inetSocketAddress(port, "127.0.0.1");
    HttpClientOptions h2 = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false);
    if (tls.enabled()) {
      h2.setSsl(true).setUseAlpn(true).setTrustOptions(new PemTrustOptions().addCertPath(tls.certPath()));
    }
    // No deadline timer of the client's own: the status a call ends with is the server's.
    client = GrpcClient.client(vertx, new GrpcClientOptions().setMaxMessageSize(64 << 20)
        .setScheduleDeadlineAutomatically(false), h2);
  }

  private void start(Vertx vertx) {
    start(vertx, new JsonObject().put("tokens", new JsonArray().add(TOKEN)), TlsSettings.OFF, 8 << 20);
  }

  private static Step step(String op, Map<String, Object> params) {
    Struct.Builder s = Struct.newBuilder();
    params.forEach((k, v) -> s.putFields(k, value(v)));
    return Step.newBuilder().setOp(op).setParams(s).build();
  }

  private static Value value(Object v) {
    if (v instanceof Number n) {
      return Value.newBuilder().setNumberValue(n.doubleValue()).build();
    }
    if (v instanceof Boolean b) {
      return Value.newBuilder().setBoolValue(b).build();
    }
    if (v instanceof List<?> l) {
      ListValue.Builder list = ListValue.newBuilder();
      l.forEach(x -> list.addValues(value(x)));
      return Value.newBuilder().setListValue(list).build();
    }
    return Value.newBuilder().setStringValue(String.valueOf(v)).build();
  }

  private static ApplyRequest image(byte[] bytes, Step... steps) {
    return ApplyRequest.newBuilder().setImage(ByteString.copyFrom(bytes)).addAllSteps(List.of(steps)).build();
  }

  /** A unary call with metadata and a deadline; fails with {@link Failed} on any status but OK. */
  private <Req, Resp> Future<Resp> call(ServiceMethod<Resp, Req> method, Req message, String token, long timeoutMs) {
    return client.request(server, method).compose(request -> {
      if (token != null) {
        request.headers().set("authorization", "Bearer " + token);
      }
      if (timeoutMs > 0) {
        request.timeout(timeoutMs, TimeUnit.MILLISECONDS);
      }
      request.end(message);
      return request.response().compose(response -> response.last().recover(e -> Future.failedFuture(
          new FailedCall(new Failed(response.status(), response.statusMessage())))));
    });
  }

  /** A server stream's messages and its status. */
  private Future<Map.Entry<List<BatchEvent>, Failed>> batch(BatchRequest message, String token) {
    List<BatchEvent> events = new ArrayList<>();
    return client.request(server, ImagesGrpcClient.Batch).compose(request -> {
      request.headers().set("authorization", "Bearer " + token);
      request.end(message);
      // The handler is set in the turn that delivers the response, or the first messages would be missed.
      return request.response().compose(response -> {
        response.handler(events::add);
        return response.end().transform(x -> Future.succeededFuture(
            Map.entry(events, new Failed(response.status(), response.statusMessage()))));
      });
    });
  }

  static final class FailedCall extends RuntimeException {
    final Failed failed;

    FailedCall(Failed failed) {
      super(failed.status() + ": " + failed.message());
      this.failed = failed;
    }
  }

  private Failed failure(Future<?> call) {
    try {
      call.await();
    } catch (FailedCall e) {
      return e.failed;
    }
    throw new AssertionError("the call succeeded");
  }

  @Test
  void applyGrayscaleThenThresholdIsOpenCvsAndReportsTheThreshold(Vertx vertx) {
    start(vertx);
    byte[] png = TestImages.bytes(TestImages.ASTRONAUT_PNG);
    ApplyReply reply = call(ImagesGrpcClient.Apply, image(png, step("grayscale", Map.of()),
        step("threshold", Map.of("value", 127))), TOKEN, 0).await();
    assertEquals(256, reply.getWidth());
    assertEquals("png", reply.getFormat());
    assertTrue(reply.hasThreshold());
    assertEquals(127.0, reply.getThreshold());
    Mat ours = Imgcodecs.imdecode(new MatOfByte(reply.getImage().toByteArray()), Imgcodecs.IMREAD_UNCHANGED);
    Mat color = Imgcodecs.imdecode(new MatOfByte(png), Imgcodecs.IMREAD_COLOR);
    Mat theirs = new Mat();
    Imgproc.cvtColor(color, theirs, Imgproc.COLOR_BGR2GRAY);
    Imgproc.threshold(theirs, theirs, 127, 255, Imgproc.THRESH_BINARY);
    Mat diff = new Mat();
    Core.absdiff(ours, theirs, diff);
    assertEquals(0, Core.countNonZero(diff), "pixel for pixel cv2.threshold(cv2.cvtColor(...), 127, 255, BINARY)");
    for (Mat m : List.of(ours, color, theirs, diff)) {
      m.release();
    }
  }

  /** The proto names no operation: every one of the table is called by its name, with its example parameters. */
  @Test
  void everyOperationOfTheTableIsCallableByName(Vertx vertx) {
    start(vertx);
    byte[] png = TestImages.bytes(TestImages.ASTRONAUT_PNG);
    List<String> called = new ArrayList<>();
    for (Operation<?> op : Operations.all()) {
      Future<ApplyReply> reply = call(ImagesGrpcClient.Apply, image(png, step(op.label(), op.example())), TOKEN, 0);
      try {
        ApplyReply r = reply.await();
        assertEquals(256, r.getWidth(), op.label());
        called.add(op.label());
      } catch (FailedCall e) {
        // facecrop's own 404 (no face) is still the operation answering: it was called by its name.
        assertTrue(e.failed.status() == GrpcStatus.NOT_FOUND && op.label().equals("facecrop"), op.label() + ": " + e);
        called.add(op.label());
      }
    }
    assertEquals(Operations.labels(), called);
  }

  @Test
  void findingsAreTypedAndInFindings(Vertx vertx) {
    start(vertx);
    ApplyReply info = call(ImagesGrpcClient.Apply, image(TestImages.bytes(TestImages.ASTRONAUT_PNG), step("info", Map.of())),
        TOKEN, 0).await();
    assertEquals(3, info.getInfo().getChannels());
    assertEquals("8U", info.getInfo().getDepth());
    assertEquals(3, info.getInfo().getTopLeftCount());
    assertEquals(3.0, info.getFindings().getFieldsOrThrow("channels").getNumberValue());
    assertTrue(info.getImage().isEmpty(), "info makes no image");
  }

  @Test
  void anUnknownOpOrAParameterOutOfRangeIsInvalidArgumentSaidWhy(Vertx vertx) {
    start(vertx);
    byte[] png = TestImages.bytes(TestImages.ASTRONAUT_PNG);
    Failed unknown = failure(call(ImagesGrpcClient.Apply, image(png, step("sepia", Map.of())), TOKEN, 0));
    assertEquals(GrpcStatus.INVALID_ARGUMENT, unknown.status());
    assertTrue(unknown.message().contains("sepia") && unknown.message().contains("threshold"), unknown.message());
    Failed range = failure(call(ImagesGrpcClient.Apply, image(png, step("threshold", Map.of("value", 999))), TOKEN, 0));
    assertEquals(GrpcStatus.INVALID_ARGUMENT, range.status(), range.message());
    Failed path = failure(call(ImagesGrpcClient.Apply, image(png, step("info", Map.of("input", "/etc/passwd"))), TOKEN, 0));
    assertEquals(GrpcStatus.INVALID_ARGUMENT, path.status());
    assertTrue(path.message().contains("input"), path.message());
    Failed notAnImage = failure(call(ImagesGrpcClient.Apply, image("not an image".getBytes(), step("info", Map.of())),
        TOKEN, 0));
    assertEquals(GrpcStatus.INVALID_ARGUMENT, notAnImage.status(), "415 is the caller's bytes: " + notAnImage.message());
    Failed none = failure(call(ImagesGrpcClient.Apply, ApplyRequest.newBuilder().addSteps(step("info", Map.of())).build(),
        TOKEN, 0));
    assertEquals(GrpcStatus.INVALID_ARGUMENT, none.status());
  }

  @Test
  void beyondLoopbackACallWithoutTheTokenIsUnauthenticatedAndGuessingIsLimited(Vertx vertx) {
    start(vertx, new JsonObject().put("tokens", new JsonArray().add(TOKEN)).put("maxFailures", 3), TlsSettings.OFF, 8 << 20);
    ApplyRequest info = image(TestImages.bytes(TestImages.ASTRONAUT_PNG), step("info", Map.of()));
    Failed none = failure(call(ImagesGrpcClient.Apply, info, null, 0));
    assertEquals(GrpcStatus.UNAUTHENTICATED, none.status());
    assertTrue(none.message().contains("authorization: Bearer"), none.message());
    Failed batch = batch(BatchRequest.newBuilder().setInputDir(tmp.toString()).addSteps(step("info", Map.of())).build(),
        "wrong-0123456789").await().getValue();
    assertEquals(GrpcStatus.UNAUTHENTICATED, batch.status(), batch.message());
    for (int i = 0; i < 2; i++) {
      assertEquals(GrpcStatus.UNAUTHENTICATED, failure(call(ImagesGrpcClient.Apply, info, "guess-" + i, 0)).status());
    }
    Failed blocked = failure(call(ImagesGrpcClient.Apply, info, TOKEN, 0));
    assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, blocked.status(), "even the right token waits: " + blocked.message());
    assertTrue(blocked.message().contains("too many wrong tokens"), blocked.message());
  }

  @Test
  void aTokenCallsOnlyTheOperationsItIsAllowed(Vertx vertx) {
    start(vertx, new JsonObject().put("tokens", new JsonArray().add(new JsonObject().put("token", TOKEN)
        .put("allow", new JsonArray().add(Addresses.IMAGE_INFO)))), TlsSettings.OFF, 8 << 20);
    byte[] png = TestImages.bytes(TestImages.ASTRONAUT_PNG);
    assertEquals(256, call(ImagesGrpcClient.Apply, image(png, step("info", Map.of())), TOKEN, 0).await().getWidth());
    Failed gray = failure(call(ImagesGrpcClient.Apply, image(png, step("grayscale", Map.of())), TOKEN, 0));
    assertEquals(GrpcStatus.PERMISSION_DENIED, gray.status());
    assertTrue(gray.message().contains("pixelbus.image.grayscale"), gray.message());
  }

  @Test
  void aMessageOverImageMaxInputBytesIsResourceExhaustedAndTheConnectionServesOn(Vertx vertx) {
    start(vertx, new JsonObject().put("tokens", new JsonArray().add(TOKEN)), TlsSettings.OFF, 1 << 20);
    Failed big = failure(call(ImagesGrpcClient.Apply, image(new byte[3 << 20], step("info", Map.of())), TOKEN, 0));
    assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, big.status());
    assertEquals(256, call(ImagesGrpcClient.Apply, image(TestImages.bytes(TestImages.ASTRONAUT_PNG), step("info", Map.of())),
        TOKEN, 0).await().getWidth());
  }

  /** A full queue is the server's capacity spent for now: RESOURCE_EXHAUSTED, said why; the next call is served. */
  @Test
  void aFullQueueIsResourceExhausted(Vertx vertx) {
    imageOverrides = new JsonObject().put("workers", 1).put("queueCapacity", 0);
    start(vertx);
    byte[] png = TestImages.bytes(TestImages.ASTRONAUT_PNG);
    // One worker, no queue: while the first call's work runs, the others sent with it find no place.
    ApplyRequest slow = image(png, step("resize", Map.of("scale", 8)), step("blur", Map.of("ksize", 21)));
    List<Future<ApplyReply>> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      calls.add(call(ImagesGrpcClient.Apply, slow, TOKEN, 0));
    }
    int served = 0;
    List<Failed> refused = new ArrayList<>();
    for (Future<ApplyReply> c : calls) {
      try {
        assertEquals(2048, c.await().getOutputWidth());
        served++;
      } catch (FailedCall e) {
        refused.add(e.failed);
      }
    }
    assertTrue(served >= 1, "the first call is served");
    assertFalse(refused.isEmpty(), "calls past the worker and its empty queue are refused");
    for (Failed f : refused) {
      assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, f.status(), f.message());
      assertTrue(f.message().startsWith("busy: ") && f.message().contains("image.queueCapacity"), f.message());
    }
    assertEquals(256, call(ImagesGrpcClient.Apply, image(png, step("info", Map.of())), TOKEN, 0).await().getWidth());
    // /metrics counts the calls by method and status: the refused ones, and the served ones (1 or more, and the info)
    String metrics = WebClient.create(vertx).get(port, "127.0.0.1", "/metrics").putHeader("authorization", "Bearer " + TOKEN)
        .send().await().bodyAsString();
    String apply = "pixelbus_grpc_calls_seconds_count{method=\"pixelbus.v1.Images/Apply\",status=\"";
    assertTrue(metrics.contains(apply + "RESOURCE_EXHAUSTED\"} " + refused.size() + "\n"), metrics);
    assertTrue(metrics.contains(apply + "OK\"} " + (served + 1) + "\n"), metrics);
  }

  /** The server ends the call at its deadline, and what the work left behind does not hold the next call. */
  @Test
  void aDeadlineEndsTheCallDeadlineExceeded(Vertx vertx) {
    start(vertx);
    byte[] png = TestImages.bytes(TestImages.ASTRONAUT_PNG);
    long t0 = System.nanoTime();
    Failed late = failure(call(ImagesGrpcClient.Apply, image(png, step("resize", Map.of("width", 3000)),
        step("blur", Map.of("ksize", 21)), step("faces", Map.of())), TOKEN, 200));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(GrpcStatus.DEADLINE_EXCEEDED, late.status(), late.message());
    assertTrue(ms < 3_000, "answered at the deadline, not when the work ended: " + ms + " ms");
    assertEquals(256, call(ImagesGrpcClient.Apply, image(png, step("info", Map.of())), TOKEN, 60_000).await().getWidth());
  }

  @Test
  void batchStreamsProgressThenTheSummary(Vertx vertx) throws Exception {
    start(vertx);
    Path in = Files.createDirectories(tmp.resolve("in"));
    for (int i = 0; i < 12; i++) {
      Files.write(in.resolve("a" + i + ".png"), TestImages.bytes(TestImages.ASTRONAUT_PNG));
    }
    Files.writeString(in.resolve("broken.png"), "not an image");
    Map.Entry<List<BatchEvent>, Failed> r = batch(BatchRequest.newBuilder().setInputDir(in.toString())
        .setOutputDir(tmp.resolve("out/b").toString()).addSteps(step("grayscale", Map.of()))
        .addSteps(step("threshold", Map.of("value", 127))).build(), TOKEN).await();
    assertEquals(GrpcStatus.OK, r.getValue().status(), r.getValue().message());
    List<BatchEvent> events = r.getKey();
    assertTrue(events.size() >= 2, "progress, then the summary: " + events);
    assertTrue(events.get(0).hasProgress(), events.get(0).toString());
    BatchEvent last = events.get(events.size() - 1);
    assertTrue(last.hasSummary(), last.toString());
    assertEquals(12, last.getSummary().getSucceeded());
    assertEquals(1, last.getSummary().getFailed());
    assertEquals("broken.png", last.getSummary().getFailures(0).getItem());
    assertEquals(415, last.getSummary().getFailures(0).getCode());
    assertTrue(Files.exists(tmp.resolve("out/b/a0.png")));
    Failed outside = batch(BatchRequest.newBuilder().setInputDir("/etc").setOutputDir(tmp.resolve("out/c").toString())
        .addSteps(step("grayscale", Map.of())).build(), TOKEN).await().getValue();
    assertEquals(GrpcStatus.PERMISSION_DENIED, outside.status(), outside.message());
  }

  /** A caller that cancels its Batch cancels the batch: the bus says so in the batch's last progress event. */
  @Test
  void cancellingTheCallCancelsTheBatch(Vertx vertx) throws Exception {
    start(vertx);
    Path in = Files.createDirectories(tmp.resolve("many"));
    for (int i = 0; i < 200; i++) {
      Files.write(in.resolve("a" + i + ".png"), TestImages.bytes(TestImages.ASTRONAUT_PNG));
    }
    Promise<JsonObject> finished = Promise.promise();
    vertx.eventBus().<JsonObject>consumer(Addresses.IMAGE_BATCH_PROGRESS, m -> {
      if (m.body().getBoolean("finished", false)) {
        finished.tryComplete(m.body());
      }
    }).completion().await();
    client.request(server, ImagesGrpcClient.Batch).compose(request -> {
      request.headers().set("authorization", "Bearer " + TOKEN);
      request.end(BatchRequest.newBuilder().setInputDir(in.toString()).setOutputDir(tmp.resolve("out/m").toString())
          .addSteps(step("resize", Map.of("width", 2000))).addSteps(step("blur", Map.of("ksize", 15))).build());
      return request.response().map(response -> {
        response.handler(event -> request.cancel()); // at the first event
        return response;
      });
    }).await();
    JsonObject last = finished.future().await(60, TimeUnit.SECONDS);
    JsonObject summary = last.getJsonObject("summary");
    assertTrue(summary.getBoolean("cancelled"), last.encode());
    assertTrue(summary.getLong("images") < 200, "stopped before the end: " + summary.encode());
  }

  /** One port: HTTP routes as before, gRPC-Web over HTTP/1.1, and plain gRPC over HTTP/1.1 refused (it needs HTTP/2). */
  @Test
  void theHttpRoutesStayAndGrpcWebWorksOverHttp11(Vertx vertx) {
    start(vertx);
    WebClient web = WebClient.create(vertx);
    assertEquals(200, web.get(port, "127.0.0.1", "/health").send().await().statusCode());
    byte[] message = image(TestImages.bytes(TestImages.ASTRONAUT_PNG), step("info", Map.of())).toByteArray();
    Buffer framed = Buffer.buffer().appendByte((byte) 0).appendInt(message.length).appendBytes(message);
    HttpResponse<Buffer> grpcWeb = web.post(port, "127.0.0.1", "/pixelbus.v1.Images/Apply")
        .putHeader("content-type", "application/grpc-web+proto").putHeader("x-grpc-web", "1")
        .putHeader("authorization", "Bearer " + TOKEN).sendBuffer(framed).await();
    assertEquals(200, grpcWeb.statusCode());
    assertEquals(HttpVersion.HTTP_1_1, grpcWeb.version());
    Buffer body = grpcWeb.body();
    assertEquals(0, body.getByte(0), "a data frame first");
    int length = body.getInt(1);
    ApplyReply reply = parse(body.getBytes(5, 5 + length));
    assertEquals(256, reply.getWidth());
    String trailers = body.getString(5 + length + 5, body.length());
    assertTrue(trailers.contains("grpc-status:0"), trailers);
    HttpResponse<Buffer> h1 = web.post(port, "127.0.0.1", "/pixelbus.v1.Images/Apply")
        .putHeader("content-type", "application/grpc").sendBuffer(framed).await();
    assertEquals(415, h1.statusCode());
    assertFalse(grpcWeb.bodyAsString().isEmpty());
  }

  /**
   * gRPC-Web from a page of another origin: the preflight and the call get CORS headers for an origin of
   * http.cors.allowedOrigins (grpc-status and grpc-message readable), and another origin is refused before any work.
   */
  @Test
  void grpcWebFromAnAllowedOriginGetsCorsAndOthersAreRefused(Vertx vertx) {
    allowedOrigins = List.of("https://app.example");
    start(vertx);
    WebClient web = WebClient.create(vertx);
    HttpResponse<Buffer> preflight = web.request(io.vertx.core.http.HttpMethod.OPTIONS, port, "127.0.0.1",
            "/pixelbus.v1.Images/Apply").putHeader("Origin", "https://app.example")
        .putHeader("Access-Control-Request-Method", "POST")
        .putHeader("Access-Control-Request-Headers", "content-type,x-grpc-web,authorization,x-user-agent").send().await();
    assertTrue(preflight.statusCode() == 204 || preflight.statusCode() == 200, "preflight " + preflight.statusCode());
    assertEquals("https://app.example", preflight.getHeader("Access-Control-Allow-Origin"));
    assertTrue(preflight.getHeader("Access-Control-Allow-Headers").toLowerCase().contains("x-grpc-web"),
        preflight.getHeader("Access-Control-Allow-Headers"));
    byte[] message = image(TestImages.bytes(TestImages.ASTRONAUT_PNG), step("info", Map.of())).toByteArray();
    Buffer framed = Buffer.buffer().appendByte((byte) 0).appendInt(message.length).appendBytes(message);
    HttpResponse<Buffer> call = web.post(port, "127.0.0.1", "/pixelbus.v1.Images/Apply")
        .putHeader("Origin", "https://app.example").putHeader("content-type", "application/grpc-web+proto")
        .putHeader("x-grpc-web", "1").putHeader("authorization", "Bearer " + TOKEN).sendBuffer(framed).await();
    assertEquals(200, call.statusCode());
    assertEquals("https://app.example", call.getHeader("Access-Control-Allow-Origin"));
    assertTrue(call.getHeader("Access-Control-Expose-Headers").contains("grpc-status"));
    assertTrue(call.bodyAsString().contains("grpc-status:0"), "the call itself ran");
    HttpResponse<Buffer> evil = web.post(port, "127.0.0.1", "/pixelbus.v1.Images/Apply")
        .putHeader("Origin", "https://evil.example").putHeader("content-type", "application/grpc-web+proto")
        .putHeader("x-grpc-web", "1").putHeader("authorization", "Bearer " + TOKEN).sendBuffer(framed).await();
    assertEquals(403, evil.statusCode());
    assertTrue(evil.bodyAsString().contains("http.cors.allowedOrigins"), evil.bodyAsString());
    HttpResponse<Buffer> evilPreflight = web.request(io.vertx.core.http.HttpMethod.OPTIONS, port, "127.0.0.1",
            "/pixelbus.v1.Images/Apply").putHeader("Origin", "https://evil.example")
        .putHeader("Access-Control-Request-Method", "POST").send().await();
    assertEquals(403, evilPreflight.statusCode());
  }

  @Test
  void withTlsGrpcIsH2ByAlpn(Vertx vertx) {
    TestTls.Pair pair = TestTls.copy("server", tmp);
    start(vertx, new JsonObject().put("tokens", new JsonArray().add(TOKEN)),
        new TlsSettings(pair.cert().toString(), pair.key().toString(), 0), 8 << 20);
    ApplyReply reply = call(ImagesGrpcClient.Apply, image(TestImages.bytes(TestImages.ASTRONAUT_PNG), step("info", Map.of())),
        TOKEN, 0).await();
    assertEquals(256, reply.getWidth());
  }

  private static ApplyReply parse(byte[] bytes) {
    try {
      return ApplyReply.parseFrom(bytes);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
