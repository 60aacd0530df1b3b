package dev.pixelbus.grpc;

import dev.pixelbus.api.Addresses;
import dev.pixelbus.api.ImageClient;
import dev.pixelbus.common.auth.FailedAttempts;
import dev.pixelbus.common.auth.Tokens;
import dev.pixelbus.grpc.v1.FetchGrpcService;
import dev.pixelbus.grpc.v1.ImagesGrpcService;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.health.HealthService;
import io.vertx.grpc.reflection.ReflectionService;
import io.vertx.grpc.server.GrpcProtocol;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import java.util.function.Predicate;

/**
 * The gRPC front of pixelbus, for the HTTP API's server to hand its gRPC requests to ({@link #dispatch}):
 * {@code pixelbus.v1.Images} and {@code pixelbus.v1.Fetch} behind the HTTP API's tokens, and the standard health
 * ({@code grpc.health.v1.Health}) and reflection ({@code grpc.reflection.v1.ServerReflection}) services, open like
 * {@code /health}. gRPC over HTTP/2 (h2c with prior knowledge on a plain port, h2 by ALPN with TLS), and gRPC-Web
 * (binary and text) over HTTP/1.1 or HTTP/2 for browsers. Vert.x's JSON transcoding is off: the HTTP API is the
 * JSON surface.
 */
public final class PixelbusGrpc {
  private static final String GRPC = "application/grpc";
  static final int STREAM_WINDOW = 1 << 20;
  static final int CONNECTION_WINDOW = 8 << 20;

  private final GrpcServer server;
  private final CallGuard guard;

  /**
   * @param tokens   the HTTP API's tokens (none configured: no token is asked for)
   * @param failures the HTTP API's count of wrong tokens by client address, shared so that guessing over gRPC and
   *                 HTTP counts as one
   */
  public PixelbusGrpc(Vertx vertx, GrpcSettings settings, SourceAccess sources, Tokens tokens, FailedAttempts failures) {
    this(vertx, settings, sources, tokens, failures, CallRecorder.NONE);
  }

  /** @param recorder told of every call of Images and Fetch as it ends, refused ones included (for /metrics) */
  public PixelbusGrpc(Vertx vertx, GrpcSettings settings, SourceAccess sources, Tokens tokens, FailedAttempts failures,
                      CallRecorder recorder) {
    this.guard = new CallGuard(tokens, failures, settings.maxCallsInFlight(), recorder);
    this.server = GrpcServer.server(vertx, new GrpcServerOptions()
        .setMaxMessageSize(settings.maxMessageBytes())
        // grpc-timeout ends the call with DEADLINE_EXCEEDED on the server's own timer too, and the work is cancelled
        .setScheduleDeadlineAutomatically(true)
        .removeEnabledProtocol(GrpcProtocol.TRANSCODING));
    server.addService(new ImagesService(vertx, guard, settings, sources));
    server.addService(new FetchService(vertx, guard, settings));
    server.addService(health(vertx));
    server.addService(ReflectionService.v1());
  }

  /**
   * HTTP/2 flow-control windows for image-sized messages: HTTP/2's default of 64 KiB made a 124 KB image wait for
   * a window update on every call, and Vert.x does not grow windows by itself (grpc-java starts at 1 MiB). The
   * memory this allows is bounded by the calls in flight and their message size, as before.
   */
  public static HttpServerOptions withWindows(HttpServerOptions options) {
    return options.setInitialSettings(options.getInitialSettings().setInitialWindowSize(STREAM_WINDOW))
        .setHttp2ConnectionWindowSize(CONNECTION_WINDOW);
  }

  /** Whether a request is gRPC or gRPC-Web (application/grpc, application/grpc+proto, application/grpc-web-text ...). */
  public static boolean isGrpc(HttpServerRequest request) {
    String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
    return type != null && type.regionMatches(true, 0, GRPC, 0, GRPC.length());
  }

  /** gRPC requests here, the others to {@code http}: the HTTP routes stay as they are. */
  public Handler<HttpServerRequest> dispatch(Handler<HttpServerRequest> http) {
    return dispatch(http, request -> true);
  }

  /**
   * The same, with a check that sees each gRPC request first (a browser page's origin) and answers the ones it
   * refuses itself.
   */
  public Handler<HttpServerRequest> dispatch(Handler<HttpServerRequest> http, Predicate<HttpServerRequest> admit) {
    return request -> {
      if (isGrpc(request)) {
        if (admit.test(request)) {
          server.handle(request);
        }
      } else {
        http.handle(request);
      }
    };
  }

  /** Calls of Images and Fetch being served (for tests and metrics). */
  public int callsInFlight() {
    return guard.inFlight();
  }

  /**
   * SERVING for pixelbus.v1.Images while image workers answer, for pixelbus.v1.Fetch while the fetch part does;
   * the server as a whole ("") while it runs.
   */
  private static HealthService health(Vertx vertx) {
    HealthService health = HealthService.create(vertx);
    ImageClient images = new ImageClient(vertx, 2_000);
    health.register(ImagesGrpcService.SERVICE_NAME, () -> images.stats()
        .map(stats -> stats.getInteger("workers", 0) > 0).otherwise(false));
    health.register(FetchGrpcService.SERVICE_NAME, () -> vertx.eventBus()
        .request(Addresses.FETCH_STATS, new JsonObject(), new DeliveryOptions().setSendTimeout(2_000))
        .map(reply -> true).otherwise(false));
    return health;
  }
}
