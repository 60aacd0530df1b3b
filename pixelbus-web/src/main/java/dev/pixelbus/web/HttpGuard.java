package dev.pixelbus.web;

import dev.pixelbus.api.Addresses;
import dev.pixelbus.api.ErrorCode;
import dev.pixelbus.common.auth.AuthSettings;
import dev.pixelbus.common.auth.FailedAttempts;
import dev.pixelbus.common.auth.Tokens;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every request meets before the API: its request id, the origin check, CORS for the origins
 * allowed, and the token ({@code Authorization: Bearer TOKEN}) on {@code /v1/*} and {@code /metrics}.
 * {@code /health}, the page and its scripts stay open; the SockJS bridge checks tokens per frame
 * ({@link SockJsBridge}) and gets the origin check here.
 */
final class HttpGuard {
  private static final Logger LOG = LoggerFactory.getLogger(HttpGuard.class);
  static final String REQUEST_ID = "requestId";

  private final Tokens tokens;
  private final FailedAttempts failures;
  private final Origins origins;
  private final CorsHandler cors;
  /** gRPC-Web's preflight: its own headers asked for and shown (grpc-status and grpc-message come as headers too). */
  private final CorsHandler grpcWebCors;
  /** Whether source GETs are signed: a signature, checked by the route, stands in for the token. */
  private final boolean signedSources;

  HttpGuard(HttpSettings settings, AuthSettings auth, boolean signedSources) {
    this.signedSources = signedSources;
    this.tokens = new Tokens(auth);
    this.failures = new FailedAttempts(auth);
    this.origins = new Origins(settings.allowedOrigins());
    this.cors = settings.allowedOrigins().isEmpty() ? null : CorsHandler.create()
        .addOrigins(settings.allowedOrigins())
        .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST))
        .allowedHeaders(Set.of("Authorization", "Content-Type", RequestIds.HEADER))
        .exposedHeaders(Set.of(RequestIds.HEADER, "X-Pixelbus-Width", "X-Pixelbus-Height", "X-Pixelbus-Output-Width",
            "X-Pixelbus-Output-Height", "X-Pixelbus-Millis", "X-Pixelbus-Faces", "X-Pixelbus-Face", "X-Pixelbus-Crop",
            "X-Pixelbus-Threshold", "X-Pixelbus-Fallback", "X-Pixelbus-Decode-Scale", "X-Pixelbus-Cache", "ETag"))
        .maxAgeSeconds(600);
    this.grpcWebCors = settings.allowedOrigins().isEmpty() ? null : CorsHandler.create()
        .addOrigins(settings.allowedOrigins())
        .allowedMethods(Set.of(HttpMethod.POST))
        .allowedHeaders(Set.of("Authorization", "Content-Type", "X-Grpc-Web", "X-User-Agent", "Grpc-Timeout",
            RequestIds.HEADER))
        .exposedHeaders(Set.of(GRPC_EXPOSED.split(",")))
        .maxAgeSeconds(600);
  }

  /** What a page may read of a gRPC-Web answer: the status and its message, as headers or trailers. */
  private static final String GRPC_EXPOSED = "grpc-status,grpc-message,grpc-status-details-bin";

  /**
   * A gRPC or gRPC-Web request, before the gRPC server takes it: from a page of another origin it needs that origin in
   * {@code http.cors.allowedOrigins} (else 403, and a browser shows the page nothing), and then gets the CORS headers a
   * browser needs to read the answer. Requests with no {@code Origin} (grpc-js, grpcio, Go) and the server's own page
   * pass as they are; the token is what guards them.
   *
   * @return whether the gRPC server may take it; when not, it has been answered
   */
  boolean admitGrpc(HttpServerRequest req) {
    String origin = req.getHeader("Origin");
    if (!origins.allows(origin, req.scheme(), authority(req))) {
      LOG.info("gRPC {} from the page of {} refused (not in http.cors.allowedOrigins)", req.path(), origin);
      req.response().setStatusCode(ErrorCode.FORBIDDEN.code).putHeader("content-type", "text/plain; charset=utf-8")
          .end(refused(origin) + "\n");
      return false;
    }
    if (origins.crossAllowed(origin)) {
      req.response().putHeader("Access-Control-Allow-Origin", origin).putHeader("Vary", "Origin")
          .putHeader("Access-Control-Expose-Headers", GRPC_EXPOSED);
    }
    return true;
  }

  Tokens tokens() {
    return tokens;
  }

  FailedAttempts failures() {
    return failures;
  }

  /** Mounts its handlers ahead of every route. */
  void mount(Router router) {
    router.route().order(-10).handler(HttpGuard::requestId);
    router.route("/v1/*").order(-9).handler(ctx -> origin(ctx, true));
    router.route("/metrics").order(-9).handler(ctx -> origin(ctx, true));
    // gRPC-Web's preflight (OPTIONS /pixelbus.v1.Images/Apply ...): the calls themselves reach the gRPC server before
    // the router, through admitGrpc.
    if (grpcWebCors != null) {
      router.optionsWithRegex("/(pixelbus|grpc)\\.[A-Za-z0-9_.]+/[A-Za-z0-9_]+").order(-9)
          .handler(ctx -> {
            if (origins.crossAllowed(ctx.request().getHeader("Origin"))) {
              grpcWebCors.handle(ctx); // answers the preflight
            } else {
              origin(ctx, false);
            }
          });
    }
    // SockJS answers CORS itself on its XHR transports; it only needs the origin kept out.
    router.route("/eventbus/*").order(-9).handler(ctx -> origin(ctx, false));
    if (tokens.required()) {
      router.route("/v1/*").order(-8).handler(this::authorize);
      router.route("/metrics").order(-8).handler(this::authorize);
    }
  }

  private static void requestId(RoutingContext ctx) {
    String id = RequestIds.take(ctx.request().getHeader(RequestIds.HEADER));
    ctx.put(REQUEST_ID, id);
    ctx.response().putHeader(RequestIds.HEADER, id);
    ctx.next();
  }

  private void origin(RoutingContext ctx, boolean withCors) {
    HttpServerRequest req = ctx.request();
    String origin = req.getHeader("Origin");
    if (!origins.allows(origin, req.scheme(), authority(req))) {
      LOG.info("request {}: {} {} from the page of {} refused (not in http.cors.allowedOrigins)", ctx.get(REQUEST_ID),
          req.method(), req.path(), origin);
      HttpApiVerticle.error(ctx, ErrorCode.FORBIDDEN.code, refused(origin));
      return;
    }
    if (withCors && cors != null && origins.crossAllowed(origin)) {
      cors.handle(ctx); // answers a preflight; adds the headers and goes on otherwise
      return;
    }
    ctx.next();
  }

  private static String refused(String origin) {
    return "requests from the page of " + origin + " are not allowed: add it to http.cors.allowedOrigins";
  }

  private void authorize(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    if (signedSources && req.method() == HttpMethod.GET && req.path().startsWith("/v1/images/") && req.query() != null
        && req.query().contains("sig=")) {
      ctx.next(); // an <img src> sends no token: the signature is its credential, checked by the route
      return;
    }
    String client = req.remoteAddress().hostAddress();
    long now = System.currentTimeMillis();
    long wait = failures.retryAfterMs(client, now);
    if (wait > 0) {
      ctx.response().putHeader("Retry-After", String.valueOf((wait + 999) / 1000));
      HttpApiVerticle.closeAfterResponse(ctx);
      HttpApiVerticle.error(ctx, ErrorCode.TOO_MANY_REQUESTS.code, "too many wrong tokens from " + client
          + "; try again in " + (wait + 999) / 1000 + " s");
      return;
    }
    String scope = scope(req.path());
    switch (tokens.check(req.getHeader("Authorization"), scope)) {
      case OK -> ctx.next();
      case NOT_PERMITTED -> HttpApiVerticle.error(ctx, ErrorCode.FORBIDDEN.code, "this token may not call " + scope);
      case MISSING -> unauthorized(ctx, "invalid_request", "send the token as Authorization: Bearer TOKEN");
      case WRONG -> {
        failures.failed(client, now);
        if (failures.retryAfterMs(client, now) > 0) {
          LOG.warn("request {}: {} sent too many wrong tokens; refused for {} ms", ctx.get(REQUEST_ID), client,
              failures.retryAfterMs(client, now));
        }
        unauthorized(ctx, "invalid_token", "the token is not one of auth.tokens");
      }
      default -> throw new IllegalStateException();
    }
  }

  private static void unauthorized(RoutingContext ctx, String error, String message) {
    // The body is not read: close rather than read a large upload that was never going to be served.
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"pixelbus\", error=\"" + error + "\"");
    if (ctx.request().method() == HttpMethod.POST && !ctx.request().isEnded()) {
      HttpApiVerticle.closeAfterResponse(ctx);
    }
    HttpApiVerticle.error(ctx, ErrorCode.UNAUTHORIZED.code, message);
  }

  /** What a path calls, in the terms of token scopes: the event-bus address behind it, or {@code metrics}. */
  static String scope(String path) {
    if (path.startsWith("/v1/images/")) {
      return Addresses.IMAGE + path.substring("/v1/images/".length());
    }
    if (path.equals("/v1/fetch")) {
      return Addresses.FETCH;
    }
    return path.equals("/metrics") ? "metrics" : path;
  }

  private static String authority(HttpServerRequest req) {
    HostAndPort a = req.authority();
    if (a == null) {
      return null;
    }
    return a.port() < 0 ? a.host() : a.host() + ":" + a.port();
  }
}
