package dev.pixelbus.web;

import dev.pixelbus.api.Addresses;
import dev.pixelbus.api.ErrorCode;
import dev.pixelbus.api.ImageClient;
import dev.pixelbus.api.ImageOp;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.bridge.BridgeSettings;
import dev.pixelbus.common.Params;
import dev.pixelbus.common.UrlSignature;
import dev.pixelbus.common.auth.AuthSettings;
import dev.pixelbus.common.auth.Loopback;
import dev.pixelbus.common.auth.TlsReloader;
import dev.pixelbus.common.auth.TlsSettings;
import dev.pixelbus.common.auth.TlsStartup;
import dev.pixelbus.grpc.GrpcSettings;
import dev.pixelbus.grpc.PixelbusGrpc;
import dev.pixelbus.grpc.SourceAccess;
import dev.pixelbus.web.source.CachedResult;
import dev.pixelbus.web.source.ResultCache;
import dev.pixelbus.web.source.SourceImages;
import dev.pixelbus.web.source.SourceSettings;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API: the image operations on an uploaded image, fetch, health, and the web page. It
 * only translates: every request becomes an event-bus request, every failure code an HTTP status.
 * gRPC and gRPC-Web requests on the same port go to {@link PixelbusGrpc} before the routes
 * ({@code http.grpc.enabled}), with the same tokens.
 */
public final class HttpApiVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApiVerticle.class);
  /** Query parameters the API reads itself; the rest go to the operation. */
  private static final String RESPONSE = "response";
  private static final Map<String, String> CONTENT_TYPES = Map.of("png", "image/png", "jpg", "image/jpeg",
      "webp", "image/webp");

  /** The fields of every image reply; the others are an operation's findings, sent as X-Pixelbus-* headers. */
  private static final Set<String> IMAGE_FIELDS = Set.of("width", "height", "format", "decodeScale", "outputWidth",
      "outputHeight", "output", "image", "outputFormat", "millis", "timings");

  /** Fetch requests are a list of URLs: this much JSON at most, below http.maxBodyBytes. */
  private static final long FETCH_BODY_BYTES = 16 << 20;
  private final HttpSettings settings;
  private final SourceSettings sourceSettings;
  private final BridgeSettings bridge;
  private final AuthSettings auth;
  private final boolean echoEnabled;
  private final GrpcSettings grpcSettings;
  private SourceImages sources;
  private MessageConsumer<JsonObject> signer;
  private int inFlight;
  private ImageClient images;
  private HttpServer server;
  private MetricsRoute metrics;
  private SockJsBridge sockJs;
  private TlsReloader tlsReloader;

  /**
   * @param bridge      the bridges' limits, for the SockJS bridge at /eventbus ({@code bridge.sockjs.enabled})
   * @param auth        the tokens /v1, /metrics and the SockJS bridge ask for (none: no token is asked for)
   * @param echoEnabled whether this process serves echo, so that /health checks it
   */
  public HttpApiVerticle(HttpSettings settings, SourceSettings sources, BridgeSettings bridge, AuthSettings auth,
                         boolean echoEnabled, GrpcSettings grpc) {
    this.settings = settings;
    this.sourceSettings = sources;
    this.bridge = bridge;
    this.auth = auth;
    this.echoEnabled = echoEnabled;
    this.grpcSettings = grpc;
  }

  /** With gRPC served, within the HTTP API's limits and {@code image.maxInputBytes}' default. */
  public HttpApiVerticle(HttpSettings settings, SourceSettings sources, BridgeSettings bridge, AuthSettings auth,
                         boolean echoEnabled) {
    this(settings, sources, bridge, auth, echoEnabled, GrpcSettings.from(new JsonObject().put("http", new JsonObject()
        .put("maxInFlight", settings.maxInFlight()).put("requestTimeoutMs", settings.requestTimeoutMs())
        .put("fetchTimeoutMs", settings.fetchTimeoutMs()))));
  }

  /** With source URLs at their defaults (served on loopback or with a token, unsigned, cached in ~/.cache/pixelbus). */
  public HttpApiVerticle(HttpSettings settings, BridgeSettings bridge, AuthSettings auth, boolean echoEnabled) {
    this(settings, SourceSettings.from(new JsonObject()), bridge, auth, echoEnabled);
  }

  /** With no tokens asked for (loopback, tests, embedding). */
  public HttpApiVerticle(HttpSettings settings, BridgeSettings bridge, boolean echoEnabled) {
    this(settings, bridge, AuthSettings.from(new JsonObject()), echoEnabled);
  }

  /** With the SockJS bridge at its defaults and no tokens. */
  public HttpApiVerticle(HttpSettings settings, boolean echoEnabled) {
    this(settings, BridgeSettings.from(new JsonObject()), echoEnabled);
  }

  @Override
  public Future<?> start() {
    images = new ImageClient(vertx, settings.requestTimeoutMs());
    metrics = new MetricsRoute(vertx);
    ResultCache cache = sourceSettings.cache().enabled() ? new ResultCache(vertx, sourceSettings.cache().dir(),
        sourceSettings.cache().maxBytes(), metrics.cacheStats()) : null;
    sources = new SourceImages(vertx, images, sourceSettings, cache, metrics::sourceFetched);
    if (cache != null) {
      metrics.cacheSize(cache);
    }
    Router router = Router.router(vertx);
    HttpGuard guard = new HttpGuard(settings, auth, sourceSettings.signed());
    guard.mount(router);
    router.route("/v1/*").order(-3).handler(this::timed);
    router.post("/v1/*").order(-2).handler(this::admit);
    router.get("/v1/images/*").order(-2).handler(this::admit);
    BodyHandler body = BodyHandler.create(settings.uploadsDir().toString()).setBodyLimit(settings.maxBodyBytes())
        .setDeleteUploadedFilesOnEnd(true).setPreallocateBodyBuffer(true);
    router.post("/v1/images/:op").order(-1).handler(HttpApiVerticle::rawUnlessMultipart);
    router.post("/v1/images/:op").handler(body).handler(this::image);
    router.get("/v1/ops").handler(this::ops);
    router.get("/v1/images/:op").handler(this::sourceImage);
    router.post("/v1/fetch").handler(BodyHandler.create(false).setBodyLimit(fetchBodyLimit())).handler(this::fetch);
    router.get("/health").handler(health());
    router.get("/metrics").handler(metrics::handle);
    sockJs = bridge.sockjs().enabled() ? new SockJsBridge(bridge, guard.tokens(), guard.failures()) : null;
    if (sockJs != null) {
      sockJs.mount(vertx, router);
    }
    // The JavaScript the page loads: SockJS from its WebJar, Vert.x's event-bus client from webroot/js.
    router.get("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars"));
    router.get("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
    router.route().failureHandler(this::failure);
    // Paths and methods no route takes answer JSON too, like every other error of the API.
    router.errorHandler(ErrorCode.BAD_REQUEST.code, ctx -> error(ctx, ErrorCode.BAD_REQUEST.code, ctx.failure() != null && ctx.failure().getMessage() != null
        ? "bad request: " + ctx.failure().getMessage() : "bad request (a malformed query string or path)"));
    router.errorHandler(ErrorCode.NOT_FOUND.code, ctx -> error(ctx, ErrorCode.NOT_FOUND.code, "no such resource: " + ctx.request().method() + " " + ctx.request().path()));
    router.errorHandler(ErrorCode.METHOD_NOT_ALLOWED.code, ctx -> error(ctx, ErrorCode.METHOD_NOT_ALLOWED.code, ctx.request().method() + " is not allowed on " + ctx.request().path()));
    HttpServerOptions options = sockJs != null ? sockJs.serverOptions() : new HttpServerOptions();
    if (grpcSettings.enabled()) {
      PixelbusGrpc.withWindows(options);
    }
    TlsSettings tls = settings.tls();
    // With TLS, HTTP/2 by ALPN, HTTP/1.1 for the rest.
    server = vertx.createHttpServer(TlsStartup.configure(tls, options).setUseAlpn(tls.enabled()));
    tlsReloader = new TlsReloader(vertx, tls, "http", o -> server.updateSSLOptions(o, true));
    signer = vertx.eventBus().consumer(Addresses.IMAGE_SIGN, this::sign);
    // The cache's folder is read (and what a crash left half-written deleted) before the first request.
    Future<Void> cacheReady = cache == null ? Future.succeededFuture() : cache.open().recover(e -> Future.failedFuture(
        new IllegalArgumentException("http.cache.dir: cannot use " + sourceSettings.cache().dir() + ": " + e, e)));
    // gRPC needs HTTP/2: h2c (prior knowledge or the HTTP/1.1 upgrade) on a plain port, which Vert.x's options allow
    // by default, and h2 by ALPN with TLS; gRPC-Web also runs over HTTP/1.1.
    Handler<HttpServerRequest> requests = router;
    if (grpcSettings.enabled()) {
      requests = new PixelbusGrpc(vertx, grpcSettings, new SourceAccess(sourceSettings.enabled(), sourceSettings.signed(),
          sourceSettings.maxBytes(), sourceSettings.timeoutMs()), guard.tokens(), guard.failures(), metrics::grpcCall)
          .dispatch(router, guard::admitGrpc);
    }
    Handler<HttpServerRequest> handler = requests;
    return cacheReady.compose(x -> TlsStartup.listen(tlsReloader,
            () -> server.requestHandler(handler).listen(settings.port(), settings.host())))
        .onSuccess(s -> LOG.info("http{} listening on {}:{} (/metrics: {}; SockJS bridge {}; gRPC {}; {})",
            tls.enabled() ? "s" : "", settings.host(), s.actualPort(),
            metrics.withVertxSeries() ? "Vert.x, JVM and pixelbus series" : "pixelbus series only; Vert.x metrics are off",
            sockJs != null ? "at /eventbus" : "off",
            grpcSettings.enabled() ? (tls.enabled() ? "h2 and gRPC-Web" : "h2c and gRPC-Web") : "off",
            auth.required() ? auth.tokens().size() + " token(s) asked for" : "no token asked for"));
  }

  /** Stops accepting; requests in flight are answered (Vert.x closes idle connections first). */
  @Override
  public Future<?> stop() {
    if (signer != null) {
      signer.unregister();
    }
    if (tlsReloader != null) {
      tlsReloader.stop();
    }
    if (sockJs != null) {
      sockJs.closeAll();
    }
    return server.shutdown(settings.requestTimeoutMs(), TimeUnit.MILLISECONDS);
  }

  public int actualPort() {
    return server.actualPort();
  }

  private long fetchBodyLimit() {
    return Math.min(settings.maxBodyBytes(), FETCH_BODY_BYTES);
  }

  /**
   * Times every API request for /metrics, by route and op. The labels come from a fixed set (the
   * image ops, fetch, other): a label per path a client makes up would grow the registry without end.
   */
  private void timed(RoutingContext ctx) {
    long start = System.nanoTime();
    String path = ctx.request().path();
    String op = path.startsWith("/v1/images/") ? path.substring("/v1/images/".length()) : null;
    String route = op != null ? "images" : path.equals("/v1/fetch") ? "fetch" : "other";
    String label = op != null ? (ImageOp.labels().contains(op) ? op : "unknown") : route;
    ctx.addEndHandler(x -> metrics.record(route, label, ctx.response().getStatusCode(), System.nanoTime() - start));
    ctx.next();
  }

  /**
   * At most {@code http.maxInFlight} API requests at once, each with {@code http.bodyTimeoutMs} to
   * send its body: the next request gets 503 before its body is read, and a client that stalls
   * mid-body is cut with 408. Bodies are held in memory up to http.maxBodyBytes each, so this bounds
   * them all.
   */
  private void admit(RoutingContext ctx) {
    if (inFlight >= settings.maxInFlight()) {
      closeAfterResponse(ctx);
      error(ctx, ErrorCode.BUSY.code, settings.maxInFlight() + " API requests are in flight (http.maxInFlight); try again later");
      return;
    }
    inFlight++;
    long timer = vertx.setTimer(settings.bodyTimeoutMs(), id -> {
      if (!ctx.request().isEnded() && !ctx.response().ended()) {
        closeAfterResponse(ctx);
        error(ctx, ErrorCode.REQUEST_TIMEOUT.code, "the body did not arrive within " + settings.bodyTimeoutMs() + " ms (http.bodyTimeoutMs)")
            .onComplete(x -> {
              if (ctx.request().version() != HttpVersion.HTTP_2) {
                ctx.request().connection().close();
              }
            });
      }
    });
    ctx.addEndHandler(x -> {
      inFlight--;
      vertx.cancelTimer(timer);
    });
    ctx.next();
  }

  /**
   * A response sent before its request's body was read: on HTTP/1.x the connection closes after it (the
   * rest of the body would be read as the next request); on HTTP/2, where a Connection header is a
   * protocol error, ending the response resets the one stream and the connection serves the others.
   */
  static void closeAfterResponse(RoutingContext ctx) {
    if (ctx.request().version() != HttpVersion.HTTP_2) {
      ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
    }
  }

  /** The path's {@code :op}, or null when there is no such operation, answered 404 naming the operations. */
  private static ImageOp operation(RoutingContext ctx) {
    String label = ctx.pathParam("op");
    try {
      return ImageOp.parse(label);
    } catch (PixelbusException e) {
      error(ctx, ErrorCode.NOT_FOUND.code, "no image operation '" + label + "'; operations: " + ImageOp.labels());
      return null;
    }
  }

  private void image(RoutingContext ctx) {
    ImageOp op = operation(ctx);
    if (op == null) {
      return;
    }
    uploaded(ctx).compose(bytes -> {
      if (bytes == null || bytes.length() == 0) {
        return Future.failedFuture(PixelbusException.badRequest(
            "send the image as the request body, or as a multipart file field"));
      }
      if (ctx.queryParams().contains("input")) {
        // The image is the body: a path here would read a file on the server instead.
        return Future.failedFuture(PixelbusException.badRequest(
            "input is the request body; it cannot be given as a query parameter"));
      }
      JsonObject request = new JsonObject().put("input", new JsonObject().put("bytes", bytes));
      ctx.queryParams().forEach((name, value) -> {
        if (!name.equals(RESPONSE)) {
          request.put(name, Params.fromText(value));
        }
      });
      if (op == ImageOp.FACES && !"image".equals(ctx.queryParams().get(RESPONSE)) && !request.containsKey("draw")) {
        request.put("draw", false); // boxes as JSON only: no need to draw and encode an image
      }
      return images.call(op, request);
    }).onSuccess(reply -> respond(ctx, op, reply)).onFailure(e -> fail(ctx, e));
  }

  /**
   * An image body is bytes whatever the client called it: curl --data-binary says
   * application/x-www-form-urlencoded, and the body handler would try to decode the pixels as a form.
   */
  private static void rawUnlessMultipart(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      ctx.request().headers().set("Content-Type", "application/octet-stream");
    }
    ctx.next();
  }

  /** The body, or the first file of a multipart form. */
  private Future<Buffer> uploaded(RoutingContext ctx) {
    List<FileUpload> files = ctx.fileUploads();
    if (!files.isEmpty()) {
      return vertx.fileSystem().readFile(files.get(0).uploadedFileName());
    }
    return Future.succeededFuture(ctx.body().buffer());
  }

  /** An image back for the ops that make one; JSON for info and faces (or when ?response=json). */
  private void respond(RoutingContext ctx, ImageOp op, JsonObject reply) {
    String wanted = ctx.queryParams().get(RESPONSE);
    boolean json = "json".equals(wanted) || (wanted == null && (op == ImageOp.INFO || op == ImageOp.FACES))
        || !reply.containsKey("image");
    if (json) {
      reply.remove("image");
      ctx.json(reply);
      return;
    }
    Buffer image = reply.getBuffer("image");
    String format = reply.getString("outputFormat", "png");
    ctx.response().putHeader("Content-Type", CONTENT_TYPES.getOrDefault(format, "application/octet-stream"))
        .putHeader("X-Pixelbus-Width", String.valueOf(reply.getValue("width")))
        .putHeader("X-Pixelbus-Height", String.valueOf(reply.getValue("height")))
        .putHeader("X-Pixelbus-Output-Width", String.valueOf(reply.getValue("outputWidth")))
        .putHeader("X-Pixelbus-Output-Height", String.valueOf(reply.getValue("outputHeight")))
        .putHeader("X-Pixelbus-Decode-Scale", String.valueOf(reply.getValue("decodeScale")))
        .putHeader("X-Pixelbus-Millis", String.valueOf(reply.getValue("millis")));
    // What the operations found (a threshold, faces, the crop...): every field of the reply beyond the image's own.
    for (String field : reply.fieldNames()) {
      if (!IMAGE_FIELDS.contains(field)) {
        Object value = reply.getValue(field);
        ctx.response().putHeader("X-Pixelbus-" + Character.toUpperCase(field.charAt(0)) + field.substring(1),
            value instanceof String text ? text : Json.encode(value));
      }
    }
    ctx.response().end(image);
  }

  /**
   * {@code GET /v1/images/OP?url=SOURCE&...}: the image server for the web ({@link SourceImages}). The answer
   * is the image with a strong ETag, {@code Cache-Control: public, max-age} and {@code Vary: Accept}, or 304
   * when the request's {@code If-None-Match} has that ETag already.
   */
  private void sourceImage(RoutingContext ctx) {
    ImageOp op = operation(ctx);
    if (op == null) {
      return;
    }
    SourceImages.Request request;
    try {
      request = sources.read(op, ctx.request().uri(), ctx.queryParams(), ctx.request().getHeader(HttpHeaders.ACCEPT),
          ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH));
    } catch (PixelbusException e) {
      error(ctx, e.failureCode(), e.getMessage());
      return;
    }
    sources.serve(request).onSuccess(served -> {
      ctx.response().putHeader(HttpHeaders.ETAG, served.etag())
          .putHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=" + sourceSettings.cache().maxAgeSeconds())
          .putHeader(HttpHeaders.VARY, "Accept")
          .putHeader("X-Pixelbus-Cache", served.cache());
      if (served.notModified()) {
        ctx.response().setStatusCode(304).end();
        return;
      }
      CachedResult r = served.result();
      ctx.response().putHeader("X-Pixelbus-Decode-Scale", String.valueOf(r.meta().getInteger("decodeScale", 1)))
          .putHeader(HttpHeaders.CONTENT_TYPE, r.contentType()).end(Buffer.buffer(r.body()));
    }).onFailure(e -> fail(ctx, e));
  }

  /**
   * {@code pixelbus.image.sign} {path}: the path with its signature, for the page to show the URL it would use
   * ({@code signed: false} and the path as it is when no key is set). Bridge clients reach it only with a token
   * when tokens are asked for: whoever may call the API may sign for it.
   */
  private void sign(Message<JsonObject> msg) {
    String path = msg.body() == null ? null : msg.body().getString("path");
    if (path == null || !path.startsWith("/v1/images/")) {
      msg.fail(ErrorCode.BAD_REQUEST.code, "path must be a request target under /v1/images/, such as"
          + " /v1/images/resize?url=...&width=300");
      return;
    }
    // Signing for anyone who reaches an anonymous bridge beyond loopback would make the signature worthless.
    boolean anonymousBeyondLoopback = !auth.required() && (!Loopback.is(settings.host())
        || bridge.enabled() && !Loopback.is(bridge.host()));
    if (sourceSettings.signed() && anonymousBeyondLoopback) {
      msg.fail(ErrorCode.FORBIDDEN.code, "signing over the bus is for token holders: the server listens beyond loopback"
          + " without auth.tokens (sign with pixelbus sign, or the Python client's sign, where the key is)");
      return;
    }
    msg.reply(sourceSettings.signed()
        ? new JsonObject().put("path", UrlSignature.sign(sourceSettings.signingKeys().get(0), path)).put("signed", true)
        : new JsonObject().put("path", path).put("signed", false));
  }

  /**
   * {@code GET /v1/ops}: the table of operations, their parameters and reply fields, as the image part
   * publishes it on the event bus (any node of a cluster answers).
   */
  private void ops(RoutingContext ctx) {
    vertx.eventBus().<JsonObject>request(Addresses.IMAGE_OPS, new JsonObject(), new DeliveryOptions()
            .setSendTimeout(settings.requestTimeoutMs()))
        .map(Message::body)
        .onSuccess(ctx::json)
        .onFailure(e -> fail(ctx, PixelbusException.from(e)));
  }

  /**
   * {@code POST /v1/fetch}: a JSON list of URLs, or the bus request {urls, dir?, ...}; or, as
   * {@code text/plain}, a list in aria2's input format.
   */
  private void fetch(RoutingContext ctx) {
    JsonObject request;
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (type != null && type.toLowerCase(Locale.ROOT).startsWith("text/plain")) {
      // A list of URLs as aria2c -i reads it (a URL a line, indented out=, checksum=, header= options).
      Buffer raw = ctx.body().buffer();
      request = new JsonObject().put("inputFile", raw == null ? "" : raw.toString(StandardCharsets.UTF_8));
      sendFetch(ctx, request.put("dir", "http"));
      return;
    }
    try {
      Buffer raw = ctx.body().buffer();
      Object parsed = raw == null ? null : Json.decodeValue(raw);
      if (parsed instanceof JsonArray urls) {
        request = new JsonObject().put("urls", urls);
      } else if (parsed instanceof JsonObject object) {
        request = object;
      } else {
        throw new IllegalArgumentException("not a list or an object");
      }
    } catch (RuntimeException e) {
      error(ctx, ErrorCode.BAD_REQUEST.code, "send a JSON list of URLs, or {\"urls\": [...], \"dir\": \"...\"}: " + e.getMessage());
      return;
    }
    if (!request.containsKey("dir")) {
      request.put("dir", "http");
    }
    sendFetch(ctx, request);
  }

  private void sendFetch(RoutingContext ctx, JsonObject request) {
    vertx.eventBus().<JsonObject>request(Addresses.FETCH, request, new DeliveryOptions()
            .setSendTimeout(settings.fetchTimeoutMs()).addHeader(HttpGuard.REQUEST_ID, ctx.get(HttpGuard.REQUEST_ID)))
        .map(Message::body)
        .onSuccess(ctx::json)
        .onFailure(e -> fail(ctx, e));
  }

  /** Event bus, image workers and (when it runs) the echo server, each answering its own address. */
  private HealthCheckHandler health() {
    HealthChecks checks = HealthChecks.create(vertx);
    checks.register("eventbus", 2000, promise -> promise.complete(Status.OK()));
    checks.register("image-workers", 2000, promise -> images.stats().onComplete(ar -> {
      if (ar.succeeded() && ar.result().getInteger("workers", 0) > 0) {
        promise.complete(Status.OK(new JsonObject().put("workers", ar.result().getInteger("workers"))
            .put("idle", ar.result().getInteger("idle")).put("queued", ar.result().getInteger("queued"))
            .put("codec", ar.result().getString("codec"))));
      } else {
        promise.complete(Status.KO(new JsonObject().put("error",
            ar.failed() ? ar.cause().getMessage() : "no workers")));
      }
    }));
    if (!echoEnabled) {
      return HealthCheckHandler.createWithHealthChecks(checks);
    }
    checks.register("echo", 2000, promise -> vertx.eventBus().<JsonObject>request(Addresses.ECHO_STATS, null)
        .onComplete(ar -> promise.complete(ar.succeeded()
            ? Status.OK(new JsonObject().put("port", ar.result().body().getInteger("port"))
                .put("active", ar.result().body().getInteger("active")))
            : Status.KO(new JsonObject().put("error", ar.cause().getMessage())))));
    return HealthCheckHandler.createWithHealthChecks(checks);
  }

  private void failure(RoutingContext ctx) {
    int status = ctx.statusCode() > 0 ? ctx.statusCode() : ErrorCode.INTERNAL.code;
    String message = status == ErrorCode.TOO_LARGE.code ? "the body is over the limit of " + (ctx.request().path().equals("/v1/fetch")
        ? fetchBodyLimit() + " bytes for a fetch request" : settings.maxBodyBytes() + " bytes (http.maxBodyBytes)")
        : ctx.failure() != null && ctx.failure().getMessage() != null ? ctx.failure().getMessage()
        : "request failed (HTTP " + status + ")";
    error(ctx, status, message);
  }

  private static void fail(RoutingContext ctx, Throwable e) {
    int code;
    String message;
    if (e instanceof HttpException he) {
      code = he.getStatusCode(); // a malformed query string, say: 400
      message = he.getPayload() != null ? he.getPayload() : "bad request (HTTP " + code + ")";
    } else if (e instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      code = re.failureCode();
      message = re.getMessage();
    } else {
      PixelbusException pe = PixelbusException.from(e);
      code = pe.failureCode();
      message = pe.getMessage();
    }
    error(ctx, code >= 400 && code < 600 ? code : ErrorCode.INTERNAL.code, message);
  }

  static Future<Void> error(RoutingContext ctx, int status, String message) {
    if (ctx.response().ended()) {
      return Future.succeededFuture();
    }
    if (status >= 500) {
      LOG.warn("request {}: {} {} answered {}: {}", ctx.get(HttpGuard.REQUEST_ID), ctx.request().method(),
          ctx.request().path(), status, message);
    }
    // An error is never kept by a browser or a CDN: the next try must reach the server.
    return ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(new JsonObject().put("code", status).put("message", message).encode());
  }
}
