package dev.pixelbus.http;

import dev.pixelbus.bus.Addresses;
import dev.pixelbus.bus.ErrorCode;
import dev.pixelbus.bus.ImageClient;
import dev.pixelbus.bus.Params;
import dev.pixelbus.bus.PixelbusException;
import dev.pixelbus.image.ImageOp;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API: the image operations on an uploaded image, fetch, health, and the web page. It
 * only translates: every request becomes an event-bus request, every failure code an HTTP status.
 */
public final class HttpApiVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApiVerticle.class);
  /** Query parameters the API reads itself; the rest go to the operation. */
  private static final String RESPONSE = "response";
  private static final Map<String, String> CONTENT_TYPES = Map.of("png", "image/png", "jpg", "image/jpeg",
      "webp", "image/webp");

  private final HttpSettings settings;
  private ImageClient images;
  private HttpServer server;
  private MetricsRoute metrics;

  public HttpApiVerticle(HttpSettings settings) {
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    images = new ImageClient(vertx, settings.requestTimeoutMs());
    metrics = new MetricsRoute(vertx);
    Router router = Router.router(vertx);
    router.route("/v1/*").order(-2).handler(this::timed);
    BodyHandler body = BodyHandler.create(settings.uploadsDir().toString()).setBodyLimit(settings.maxBodyBytes())
        .setDeleteUploadedFilesOnEnd(true).setPreallocateBodyBuffer(true);
    router.post("/v1/images/:op").order(-1).handler(HttpApiVerticle::rawUnlessMultipart);
    router.post("/v1/images/:op").handler(body).handler(this::image);
    router.post("/v1/fetch").handler(BodyHandler.create(false).setBodyLimit(16 << 20)).handler(this::fetch);
    router.get("/health").handler(health());
    router.get("/metrics").handler(metrics::handle);
    router.get("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
    router.route().failureHandler(this::failure);
    server = vertx.createHttpServer();
    return server.requestHandler(router).listen(settings.port(), settings.host())
        .onSuccess(s -> LOG.info("http listening on {}:{}", settings.host(), s.actualPort()));
  }

  /** Stops accepting; requests in flight are answered (Vert.x closes idle connections first). */
  @Override
  public Future<?> stop() {
    return server.shutdown(settings.requestTimeoutMs(), TimeUnit.MILLISECONDS);
  }

  public int actualPort() {
    return server.actualPort();
  }

  /** Times every API request, by route and op, for /metrics. */
  private void timed(RoutingContext ctx) {
    long start = System.nanoTime();
    String path = ctx.request().path();
    String route = path.startsWith("/v1/images/") ? "images" : path.substring(path.lastIndexOf('/') + 1);
    String op = route.equals("images") ? path.substring("/v1/images/".length()) : route;
    ctx.addEndHandler(x -> metrics.record(route, Addresses.IMAGE_OPS.contains(op) || !route.equals("images") ? op : "unknown",
        ctx.response().getStatusCode(), System.nanoTime() - start));
    ctx.next();
  }

  private void image(RoutingContext ctx) {
    String op = ctx.pathParam("op");
    try {
      ImageOp.parse(op);
    } catch (PixelbusException e) {
      error(ctx, ErrorCode.NOT_FOUND.code, "no image operation '" + op + "'; operations: " + Addresses.IMAGE_OPS);
      return;
    }
    uploaded(ctx).compose(bytes -> {
      if (bytes == null || bytes.length() == 0) {
        return Future.failedFuture(PixelbusException.badRequest(
            "send the image as the request body, or as a multipart file field"));
      }
      JsonObject request = new JsonObject().put("input", new JsonObject().put("bytes", bytes));
      ctx.queryParams().forEach((name, value) -> {
        if (!name.equals(RESPONSE)) {
          request.put(name, Params.fromText(value));
        }
      });
      if (op.equals("faces") && !"image".equals(ctx.queryParams().get(RESPONSE)) && !request.containsKey("draw")) {
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
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
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
  private void respond(RoutingContext ctx, String op, JsonObject reply) {
    String wanted = ctx.queryParams().get(RESPONSE);
    boolean json = "json".equals(wanted) || (wanted == null && (op.equals("info") || op.equals("faces")))
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
        .putHeader("X-Pixelbus-Millis", String.valueOf(reply.getValue("millis")));
    if (reply.containsKey("faces")) {
      ctx.response().putHeader("X-Pixelbus-Faces", reply.getJsonArray("faces").encode());
    }
    ctx.response().end(image);
  }

  /** {@code POST /v1/fetch}: a JSON list of URLs, or {urls, dir?, concurrency?, overwrite?}. */
  private void fetch(RoutingContext ctx) {
    JsonObject request;
    try {
      Buffer raw = ctx.body().buffer();
      Object parsed = raw == null ? null : io.vertx.core.json.Json.decodeValue(raw);
      if (parsed instanceof JsonArray urls) {
        request = new JsonObject().put("urls", urls);
      } else if (parsed instanceof JsonObject object) {
        request = object;
      } else {
        throw new IllegalArgumentException("not a list or an object");
      }
    } catch (RuntimeException e) {
      error(ctx, 400, "send a JSON list of URLs, or {\"urls\": [...], \"dir\": \"...\"}: " + e.getMessage());
      return;
    }
    if (!request.containsKey("dir")) {
      request.put("dir", "http");
    }
    vertx.eventBus().<JsonObject>request(Addresses.FETCH, request,
            new DeliveryOptions().setSendTimeout(settings.fetchTimeoutMs()))
        .map(Message::body)
        .onSuccess(ctx::json)
        .onFailure(e -> fail(ctx, e));
  }

  /** Event bus, image workers, echo server and fetch, each answering its own address. */
  private HealthCheckHandler health() {
    HealthChecks checks = HealthChecks.create(vertx);
    checks.register("eventbus", 2000, promise -> promise.complete(Status.OK()));
    checks.register("image-workers", 2000, promise -> images.stats().onComplete(ar -> {
      if (ar.succeeded() && ar.result().getInteger("workers", 0) > 0) {
        promise.complete(Status.OK(new JsonObject().put("workers", ar.result().getInteger("workers"))
            .put("idle", ar.result().getInteger("idle")).put("queued", ar.result().getInteger("queued"))));
      } else {
        promise.complete(Status.KO(new JsonObject().put("error",
            ar.failed() ? ar.cause().getMessage() : "no workers")));
      }
    }));
    checks.register("echo", 2000, promise -> vertx.eventBus().<JsonObject>request(Addresses.ECHO_STATS, null)
        .onComplete(ar -> promise.complete(ar.succeeded()
            ? Status.OK(new JsonObject().put("port", ar.result().body().getInteger("port"))
                .put("active", ar.result().body().getInteger("active")))
            : Status.KO(new JsonObject().put("error", ar.cause().getMessage())))));
    return HealthCheckHandler.createWithHealthChecks(checks);
  }

  private void failure(RoutingContext ctx) {
    int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
    String message = status == 413 ? "the body is over the limit of " + settings.maxBodyBytes() + " bytes (http.maxBodyBytes)"
        : ctx.failure() != null && ctx.failure().getMessage() != null ? ctx.failure().getMessage()
        : "request failed (HTTP " + status + ")";
    error(ctx, status, message);
  }

  private static void fail(RoutingContext ctx, Throwable e) {
    int code;
    String message;
    if (e instanceof ReplyException re && re.failureType() == io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE) {
      code = re.failureCode();
      message = re.getMessage();
    } else {
      PixelbusException pe = ImageClient.toPixelbus(e);
      code = pe.code().code;
      message = pe.getMessage();
    }
    error(ctx, code >= 400 && code < 600 ? code : 500, message);
  }

  private static void error(RoutingContext ctx, int status, String message) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("code", status).put("message", message).encode());
  }
}
