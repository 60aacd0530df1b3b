package dev.pixelbus.bench;

import com.google.protobuf.ByteString;
import dev.pixelbus.app.cli.Stats;
import dev.pixelbus.grpc.v1.ApplyRequest;
import dev.pixelbus.grpc.v1.ImagesGrpcClient;
import dev.pixelbus.grpc.v1.Step;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What each surface a program in another language has costs, against a running pixelbus: the same operation on
 * the same inline image through gRPC ({@code Images/Apply}, one HTTP/2 connection), {@code POST /v1/images/OP}
 * (HTTP/1.1, as many kept-alive connections as calls in flight) and the TCP event-bus bridge (one connection, replies
 * matched by reply address, as the Python client does). The ways alternate round by round at each in-flight count,
 * so that all see the same machine; calls/s is the median of the rounds, p99 over every call of a way.
 */
@Command(name = "bench-grpc", mixinStandardHelpOptions = true,
    description = {"Time calls of one operation on an inline image through gRPC Images/Apply, POST /v1/images/OP and",
        "the TCP bridge, against a running pixelbus: calls/s and p99 at each in-flight count, the ways interleaved."},
    footer = {"", "Example: pixelbus bench-grpc ship.jpg --http-port 8080 --bridge-port 7000 --in-flight 1,16",
        "The token, when the server asks for one, comes from PIXELBUS_TOKEN."})
public final class SurfacesBenchCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "the image, sent inline with every call")
  Path image;

  @Option(names = "--op", defaultValue = "grayscale", description = "the operation (default: ${DEFAULT-VALUE})")
  String op;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "the server (default: ${DEFAULT-VALUE})")
  String host;

  @Option(names = "--http-port", defaultValue = "8080", description = "HTTP and gRPC (default: ${DEFAULT-VALUE})")
  int httpPort;

  @Option(names = "--bridge-port", defaultValue = "7000", description = "the TCP bridge (default: ${DEFAULT-VALUE})")
  int bridgePort;

  @Option(names = "--calls", defaultValue = "300", description = "calls per way and round (default: ${DEFAULT-VALUE})")
  int calls;

  @Option(names = "--in-flight", defaultValue = "1,16", split = ",", description = "calls in flight (default: ${DEFAULT-VALUE})")
  int[] inFlight;

  @Option(names = "--repeat", defaultValue = "5", description = "rounds (default: ${DEFAULT-VALUE}); one more warms up first")
  int repeat;

  @Option(names = "--ways", defaultValue = "grpc,http,bridge", split = ",",
      description = "which ways: grpc, http, bridge (default: ${DEFAULT-VALUE})")
  List<String> wayNames;

  @Option(names = "--json", description = "also print one JSON object line (last line of stdout)")
  boolean json;

  private Context context;
  /**
   * Held for the whole run: Vert.x closes a client, and its connections, once nothing refers to it (its Cleaner),
   * which closed the bridge connection at the first GC after a few hundred calls when it was not held.
   */
  private NetClient bridgeClient;
  /** Set once the rounds are over: the bench's own close of the bridge connection is not news. */
  private volatile boolean finished;

  @Override
  public Integer call() throws Exception {
    byte[] bytes = Files.readAllBytes(image);
    String token = System.getenv("PIXELBUS_TOKEN");
    Vertx vertx = Vertx.vertx();
    // One event loop for every call and reply: the ways' state (the bridge's waiting replies, a round's counts) is
    // then touched by one thread only.
    context = vertx.getOrCreateContext();
    try {
      Map<String, Way> ways = new LinkedHashMap<>();
      if (wayNames.contains("grpc")) {
        ways.put("gRPC Images/Apply", grpc(vertx, bytes, token));
      }
      if (wayNames.contains("http")) {
        ways.put("POST /v1/images/" + op, http(vertx, bytes, token));
      }
      if (wayNames.contains("bridge")) {
        ways.put("TCP bridge", bridge(vertx, bytes, token).await());
      }
      System.out.printf(Locale.ROOT, "pixelbus bench-grpc: %s of %s (%d bytes) inline, %d calls a way and round,"
          + " median of %d rounds (p99 over all calls), ways interleaved%n", op, image.getFileName(), bytes.length, calls,
          repeat);
      JsonObject out = new JsonObject().put("op", op).put("bytes", bytes.length).put("calls", calls).put("repeat", repeat);
      JsonArray rows = new JsonArray();
      for (int k : inFlight) {
        Map<String, double[]> rates = new LinkedHashMap<>();
        Map<String, List<Long>> latencies = new LinkedHashMap<>();
        for (String way : ways.keySet()) {
          rates.put(way, new double[repeat]);
          latencies.put(way, new ArrayList<>());
        }
        for (int r = -1; r < repeat; r++) { // round -1 warms every way up
          for (Map.Entry<String, Way> way : ways.entrySet()) {
            Round round = round(way.getKey(), way.getValue(), k);
            if (r >= 0) {
              rates.get(way.getKey())[r] = round.callsPerSecond;
              latencies.get(way.getKey()).addAll(round.nanos);
            }
          }
        }
        for (String way : ways.keySet()) {
          double rate = Stats.median(rates.get(way));
          double p99 = percentile(latencies.get(way), 0.99) / 1e6;
          double p50 = percentile(latencies.get(way), 0.50) / 1e6;
          System.out.printf(Locale.ROOT, "  in flight %2d  %-28s %8.1f calls/s   p50 %7.2f ms   p99 %7.2f ms%n", k, way,
              rate, p50, p99);
          rows.add(new JsonObject().put("inFlight", k).put("way", way).put("callsPerSecond", rate).put("p50Ms", p50)
              .put("p99Ms", p99).put("rounds", new JsonArray(Arrays.stream(rates.get(way)).boxed().toList())));
        }
      }
      if (json) {
        System.out.println(out.put("results", rows).encode());
      }
      return 0;
    } finally {
      finished = true;
      vertx.close().await();
    }
  }

  /** One call of a way; fails on any answer but the operation's success. */
  private interface Way extends Supplier<Future<?>> {
  }

  private Way grpc(Vertx vertx, byte[] bytes, String token) {
    GrpcClient client = GrpcClient.client(vertx, new GrpcClientOptions().setMaxMessageSize(256 << 20),
        windows(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)));
    SocketAddress server = SocketAddress.inetSocketAddress(httpPort, host);
    ApplyRequest request = ApplyRequest.newBuilder().setImage(ByteString.copyFrom(bytes))
        .addSteps(Step.newBuilder().setOp(op)).build();
    return () -> client.request(server, ImagesGrpcClient.Apply).compose(call -> {
      if (token != null) {
        call.headers().set("authorization", "Bearer " + token);
      }
      call.end(request);
      return call.response().compose(response -> response.last());
    });
  }

  /** The client's HTTP/2 windows as the server's ({@code PixelbusGrpc.withWindows}): 1 MiB a stream, as grpc-java's. */
  private static HttpClientOptions windows(HttpClientOptions options) {
    return options.setInitialSettings(options.getInitialSettings().setInitialWindowSize(1 << 20))
        .setHttp2ConnectionWindowSize(8 << 20);
  }

  private Way http(Vertx vertx, byte[] bytes, String token) {
    int connections = Arrays.stream(inFlight).max().orElse(1);
    var client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setDefaultHost(host)
        .setDefaultPort(httpPort), new PoolOptions().setHttp1MaxSize(connections));
    Buffer body = Buffer.buffer(bytes);
    return () -> client.request(HttpMethod.POST, "/v1/images/" + op).compose(request -> {
      if (token != null) {
        request.putHeader("Authorization", "Bearer " + token);
      }
      return request.send(body).compose(response -> response.body().compose(b -> response.statusCode() == 200
          ? Future.succeededFuture(b) : Future.failedFuture("HTTP " + response.statusCode() + ": " + b)));
    });
  }

  /** The bridge's frames: a 4-byte big-endian length, then JSON; replies come to the reply address we name. */
  private Future<Way> bridge(Vertx vertx, byte[] bytes, String token) {
    Map<String, Promise<JsonObject>> waiting = new HashMap<>();
    JsonObject headers = token == null ? new JsonObject() : new JsonObject().put("authorization", "Bearer " + token);
    JsonObject body = new JsonObject().put("input", new JsonObject().put("bytes", bytes));
    Promise<NetSocket> connected = Promise.promise();
    bridgeClient = vertx.createNetClient();
    context.runOnContext(v -> bridgeClient.connect(bridgePort, host).onComplete(connected));
    return connected.future().map((NetSocket socket) -> {
      // A ping every 2 s, as the Python client sends them (bridge.idleTimeoutMs closes a quiet connection).
      Buffer ping = new JsonObject().put("type", "ping").toBuffer();
      long pinger = vertx.setPeriodic(2_000, t -> socket.write(Buffer.buffer().appendInt(ping.length()).appendBuffer(ping)));
      // A closed connection fails the calls waiting on it, and says so, rather than leaving them waiting.
      socket.closeHandler(v -> {
        vertx.cancelTimer(pinger);
        if (!finished) {
          System.err.println("bench-grpc: the TCP bridge closed the connection; " + waiting.size() + " call(s) waiting");
        }
        waiting.values().forEach(p -> p.tryFail("the TCP bridge closed the connection"));
        waiting.clear();
      });
      socket.exceptionHandler(e -> System.err.println("bench-grpc: TCP bridge connection: " + e));
      Buffer[] pending = {Buffer.buffer()};
      socket.handler(data -> {
        pending[0].appendBuffer(data);
        int at = 0;
        while (pending[0].length() - at >= 4 && pending[0].length() - at - 4 >= pending[0].getInt(at)) {
          int length = pending[0].getInt(at);
          JsonObject frame = new JsonObject(pending[0].getBuffer(at + 4, at + 4 + length));
          at += 4 + length;
          Promise<JsonObject> p = waiting.remove(frame.getString("address"));
          if (p != null) {
            if ("message".equals(frame.getString("type"))) {
              p.complete(frame);
            } else {
              p.fail(frame.encode());
            }
          } else if (!"pong".equals(frame.getString("type"))) {
            System.err.println("bench-grpc: a bridge frame for no call: " + frame.encode().substring(0,
                Math.min(200, frame.encode().length())));
          }
        }
        if (at > 0) {
          pending[0] = pending[0].getBuffer(at, pending[0].length());
        }
      });
      int[] next = {0};
      return (Way) () -> {
        String reply = "r" + next[0]++;
        Promise<JsonObject> p = Promise.promise();
        waiting.put(reply, p);
        Buffer json = new JsonObject().put("type", "send").put("address", "pixelbus.image." + op).put("replyAddress", reply)
            .put("headers", headers).put("body", body).toBuffer();
        socket.write(Buffer.buffer(4 + json.length()).appendInt(json.length()).appendBuffer(json));
        return p.future();
      };
    });
  }

  private record Round(double callsPerSecond, List<Long> nanos) {
  }

  /** {@link #calls} calls, {@code k} in flight at a time, from an event loop. */
  private Round round(String name, Way way, int k) {
    Promise<Round> done = Promise.promise();
    List<Long> nanos = new ArrayList<>(calls);
    context.runOnContext(v -> new Object() {
      final long start = System.nanoTime();
      int sent;
      int answered;

      void next() {
        if (answered == calls) {
          done.tryComplete(new Round(calls / ((System.nanoTime() - start) / 1e9), nanos));
        } else if (sent < calls) {
          sent++;
          long t0 = System.nanoTime();
          // A call with no answer in 60 s ends the round, named, rather than leaving the benchmark waiting.
          long timer = context.owner().setTimer(60_000, t -> done.tryFail(name + ": call " + sent + " of a round had no"
              + " answer in 60 s"));
          way.get().andThen(x -> context.owner().cancelTimer(timer)).onSuccess(r -> {
            nanos.add(System.nanoTime() - t0);
            answered++;
            next();
          }).onFailure(done::tryFail);
        }
      }

      void begin() {
        for (int i = 0; i < Math.min(k, calls); i++) {
          next();
        }
      }
    }.begin());
    return done.future().await();
  }

  private static double percentile(List<Long> values, double p) {
    long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }
}
