package dev.pixelbus.grpc;

import dev.pixelbus.api.Addresses;
import dev.pixelbus.api.ErrorCode;
import dev.pixelbus.api.PixelbusException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * An Apply's {@code url}: the source fetched by the fetch part ({@code pixelbus.fetch.source}), through its
 * request-forgery guard and within the image server's limits ({@code http.sources.*}), as for
 * {@code GET /v1/images/OP?url=}. gRPC callers show a token, not a URL signature; so on a server that asks for no
 * token and signs its source URLs (anonymous beyond loopback), a URL over gRPC is refused, or anyone could have any
 * source fetched and processed.
 *
 * @param enabled   {@code http.sources.enabled}
 * @param signed    whether {@code http.sources.signingKeys} are set
 * @param maxBytes  the largest source ({@code image.maxInputBytes})
 * @param timeoutMs the time a source has to arrive whole ({@code http.sources.timeoutMs})
 */
public record SourceAccess(boolean enabled, boolean signed, long maxBytes, long timeoutMs) {

  Future<Buffer> fetch(Vertx vertx, String url, boolean tokensRequired) {
    if (!enabled) {
      return Future.failedFuture(new PixelbusException(ErrorCode.FORBIDDEN,
          "source URLs are turned off here (http.sources.enabled): send the image's bytes"));
    }
    if (signed && !tokensRequired) {
      return Future.failedFuture(new PixelbusException(ErrorCode.FORBIDDEN, "this server asks for no token and signs"
          + " its source URLs (http.sources.signingKeys), and gRPC carries no signature: send the image's bytes"));
    }
    JsonObject ask = new JsonObject().put("url", url).put("maxBytes", maxBytes).put("timeoutMs", timeoutMs);
    return vertx.eventBus().<JsonObject>request(Addresses.FETCH_SOURCE, ask,
            new DeliveryOptions().setSendTimeout(timeoutMs + 5_000))
        .recover(e -> Future.failedFuture(PixelbusException.from(e)))
        .map(Message::body)
        .map(source -> {
          Buffer body = source.getBuffer("body");
          if (source.getInteger("status", 0) != 200 || body == null || body.length() == 0) {
            throw new PixelbusException(ErrorCode.BAD_GATEWAY, "source " + url + " answered no body");
          }
          return body;
        });
  }
}
