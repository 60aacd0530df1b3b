package dev.pixelbus.web.source;

import dev.pixelbus.api.Addresses;
import dev.pixelbus.api.ErrorCode;
import dev.pixelbus.api.ImageClient;
import dev.pixelbus.api.ImageOp;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.common.Params;
import dev.pixelbus.common.UrlSignature;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * The image server for the web: {@code GET /v1/images/OP?url=SOURCE&...params...[&sig=SIG]} gives the source
 * fetched (by the fetch part, over the event bus, through its guard), processed by the image workers as
 * {@code POST /v1/images/OP} would, and cached on disk. The steps, each its own method:
 * <ol>
 *   <li>the request: its source, its signature (when keys are set), its parameters and the output format
 *   asked ({@code auto}: negotiated on {@code Accept});</li>
 *   <li>one production per result in flight ({@link #inFlight}): identical requests share one source fetch
 *   and one processing;</li>
 *   <li>the cache: fresh, the result as kept (the source not asked); stale, the source asked again with its
 *   validators, a 304 keeping the result; absent, the source fetched and processed, and the result kept.</li>
 * </ol>
 * No HTTP here: the caller makes a {@link Served} into a response. Runs on one event loop.
 */
public final class SourceImages {
  /** Query parameters this layer reads; the rest are the operation's. */
  public static final String URL = "url";
  public static final String SIG = "sig";
  private static final String FORMAT = "format";
  private static final String RESPONSE = "response";

  /** A request, as this layer reads it. */
  public record Request(ImageOp op, String url, JsonObject params, String askedFormat, String accept, String key,
                        String ifNoneMatch) {
    /** What identical requests in flight share: a conditional one may end in a 304 with nothing processed. */
    String flight() {
      return ifNoneMatch == null ? key : key + "\n" + ifNoneMatch;
    }
  }

  /**
   * What a request gets: the result and where it came from ({@code hit}, {@code miss}, {@code revalidated}); or,
   * when the request's {@code If-None-Match} names the result's ETag, {@code notModified} and no result (it may
   * not have been processed at all).
   */
  public record Served(CachedResult result, String etag, String cache, boolean notModified) {
    static Served of(CachedResult result, String cache, String ifNoneMatch) {
      return new Served(result, result.etag(), cache, etagMatches(ifNoneMatch, result.etag()));
    }
  }

  private final Vertx vertx;
  private final ImageClient images;
  private final SourceSettings settings;
  private final ResultCache cache;
  private final LongConsumer sourceMillis;
  private final Map<String, Future<Served>> inFlight = new HashMap<>();

  /**
   * @param cache        null when results are not kept
   * @param sourceMillis told the time of each source fetch, for /metrics
   */
  public SourceImages(Vertx vertx, ImageClient images, SourceSettings settings, ResultCache cache, LongConsumer sourceMillis) {
    this.vertx = vertx;
    this.images = images;
    this.settings = settings;
    this.cache = cache;
    this.sourceMillis = sourceMillis;
  }

  /** The settings this server runs with (for the caller's headers). */
  public SourceSettings settings() {
    return settings;
  }

  /**
   * Reads a request: 403 for a missing or wrong signature (before anything else is done), 400 for a request
   * without a source.
   *
   * @param target the request target as sent (path and raw query): what a signature covers
   */
  public Request read(ImageOp op, String target, MultiMap query, String accept, String ifNoneMatch) {
    if (!settings.enabled()) {
      throw new PixelbusException(ErrorCode.FORBIDDEN, "source URLs are turned off here (http.sources.enabled)");
    }
    if (settings.signed()) {
      String problem = UrlSignature.problem(settings.signingKeys(), target);
      if (problem != null) {
        throw new PixelbusException(ErrorCode.FORBIDDEN, "a signed URL is needed (http.sources.signingKeys): " + problem);
      }
    }
    String url = query.get(URL);
    if (url == null || url.isBlank()) {
      throw PixelbusException.badRequest("GET " + op.label() + " needs url=SOURCE (or POST the image)");
    }
    JsonObject params = new JsonObject();
    TreeMap<String, String> canonical = new TreeMap<>();
    String format = null;
    for (Map.Entry<String, String> e : query) {
      String name = e.getKey();
      if (name.equals(URL) || name.equals(SIG) || name.equals(RESPONSE)) {
        continue;
      }
      if (name.equals(FORMAT)) {
        format = e.getValue();
        continue;
      }
      if (name.equals("input") || name.equals("output")) {
        throw PixelbusException.badRequest(name + " cannot be a query parameter here: the source is url=");
      }
      params.put(name, Params.fromText(e.getValue()));
      canonical.put(name, e.getValue());
    }
    String key = sha256Hex(url + "\n" + op.label() + "\n" + canonical + "\n" + FormatChoice.cacheClass(format, accept));
    return new Request(op, url, params, format, accept, key, ifNoneMatch);
  }

  /** The request's result: shared with an identical request in flight, else produced. */
  public Future<Served> serve(Request r) {
    Future<Served> running = inFlight.get(r.flight());
    if (running != null) {
      return running;
    }
    Future<Served> produced = produce(r);
    if (!produced.isComplete()) {
      inFlight.put(r.flight(), produced);
      produced.onComplete(x -> inFlight.remove(r.flight()));
    }
    return produced;
  }

  private Future<Served> produce(Request r) {
    Future<CachedResult> kept = cache == null ? Future.succeededFuture() : cache.get(r.key());
    return kept.compose(entry -> {
      long now = System.currentTimeMillis();
      if (entry != null && entry.freshUntil() > now) {
        return Future.succeededFuture(Served.of(entry, "hit", r.ifNoneMatch()));
      }
      return fetch(r, entry).compose(source -> {
        if (source.getInteger("status") == 304 && entry != null) {
          JsonObject meta = entry.meta().copy().put("freshUntil", freshUntil(source, now));
          CachedResult same = entry.withMeta(meta);
          return store(r, same).map(v -> Served.of(same, "revalidated", r.ifNoneMatch()));
        }
        Buffer body = source.getBuffer("body");
        byte[] bytes = body == null ? new byte[0] : body.getBytes();
        String format = FormatChoice.choose(r.askedFormat(), r.accept(), FormatChoice.isJpeg(bytes));
        String etag = etag(sourceId(source, bytes), r, format);
        if (etagMatches(r.ifNoneMatch(), etag)) {
          // The client holds this very result (a CDN revalidating after the cache let it go): nothing to process.
          return Future.succeededFuture(new Served(null, etag, "miss", true));
        }
        return process(r, source, bytes, format, etag, now)
            .compose(result -> store(r, result).map(v -> Served.of(result, "miss", r.ifNoneMatch())));
      });
    });
  }

  /** The source, by the fetch part: conditional when a stale copy is kept. */
  private Future<JsonObject> fetch(Request r, CachedResult stale) {
    JsonObject ask = new JsonObject().put("url", r.url()).put("maxBytes", settings.maxBytes())
        .put("timeoutMs", settings.timeoutMs());
    if (stale != null && stale.sourceEtag() != null) {
      ask.put("ifNoneMatch", stale.sourceEtag());
    }
    if (stale != null && stale.sourceLastModified() != null) {
      ask.put("ifModifiedSince", stale.sourceLastModified());
    }
    return vertx.eventBus().<JsonObject>request(Addresses.FETCH_SOURCE, ask,
            new DeliveryOptions().setSendTimeout(settings.timeoutMs() + 5_000))
        .map(Message::body)
        .onSuccess(source -> sourceMillis.accept(source.getLong("millis", 0L)))
        .recover(e -> Future.failedFuture(PixelbusException.from(e)));
  }

  /** The source through the operation, as POST would run it; a refusal of the source's bytes names the source. */
  private Future<CachedResult> process(Request r, JsonObject source, byte[] bytes, String format, String etag, long now) {
    JsonObject request = r.params().copy().put("input", new JsonObject().put("bytes", bytes)).put(FORMAT, format);
    return images.call(r.op(), request).recover(e -> {
      PixelbusException p = PixelbusException.from(e);
      boolean aboutTheSource = p.failureCode() == ErrorCode.UNSUPPORTED_MEDIA.code || p.failureCode() == ErrorCode.TOO_LARGE.code;
      return Future.failedFuture(aboutTheSource ? new PixelbusException(p.failureCode(), "source " + r.url() + ": "
          + p.getMessage()) : p);
    }).compose(reply -> {
      byte[] image = reply.getBinary("image");
      if (image == null) {
        return Future.failedFuture(PixelbusException.badRequest(r.op().label() + " answers JSON, not an image: GET serves"
            + " images; POST the image for its JSON"));
      }
      String out = reply.getString("outputFormat", format);
      JsonObject meta = new JsonObject()
          .put("contentType", contentType(out))
          .put("etag", etag)
          .put("freshUntil", freshUntil(source, now))
          .put("sourceId", sourceId(source, bytes))
          .put("decodeScale", reply.getInteger("decodeScale", 1))
          .put("url", r.url());
      putIf(meta, "sourceEtag", source.getString("etag"));
      putIf(meta, "sourceLastModified", source.getString("lastModified"));
      return Future.succeededFuture(new CachedResult(meta, image));
    });
  }

  /** The source's identity: its strong ETag, else its bytes' digest. */
  private static String sourceId(JsonObject source, byte[] bytes) {
    String etag = source.getString("etag");
    return etag != null && !etag.startsWith("W/") ? "etag " + etag : "sha256 " + sha256Hex(bytes);
  }

  /** Whether {@code If-None-Match} (a list of ETags, or *) names {@code etag}. */
  public static boolean etagMatches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String tag : ifNoneMatch.split(",")) {
      String t = tag.trim();
      if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
        return true;
      }
    }
    return false;
  }

  private long freshUntil(JsonObject source, long now) {
    return Freshness.freshUntil(now, source.getString("cacheControl"), source.getString("expires"), source.getString("date"),
        settings.cache().sourceTtlSeconds());
  }

  /** Kept unless the source said not to, or the cache is off; a failure to write costs the cache, not the request. */
  private Future<Void> store(Request r, CachedResult result) {
    if (cache == null || result.freshUntil() == Freshness.NO_STORE) {
      return Future.succeededFuture();
    }
    return cache.put(r.key(), result).recover(e -> Future.succeededFuture());
  }

  /**
   * A strong ETag: the same for the same source (its own strong ETag, or its bytes' digest), operation,
   * parameters and output format, whoever asks and whenever. Known before processing, so a conditional request
   * for a result already held costs one source fetch and no work.
   */
  static String etag(String sourceId, Request r, String outputFormat) {
    return "\"" + sha256Hex(sourceId + "\n" + r.key() + "\n" + outputFormat).substring(0, 32) + "\"";
  }

  private static String contentType(String format) {
    return switch (format) {
      case "jpg" -> "image/jpeg";
      case "webp" -> "image/webp";
      default -> "image/png";
    };
  }

  private static void putIf(JsonObject json, String key, String value) {
    if (value != null) {
      json.put(key, value);
    }
  }

  static String sha256Hex(String text) {
    return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
  }

  static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
