package dev.pixelbus.web.source;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One result as the cache keeps it: what a response needs (its type, ETag, decode scale), what
 * revalidation needs (the source's validators, until when it is fresh), and the image. On disk: a magic
 * number, the metadata as JSON and the image, each length-prefixed; a file whose lengths do not add up
 * is not one (a crash mid-write leaves only a temporary file, which is never read).
 *
 * @param meta {@code contentType, etag, freshUntil, sourceId, sourceEtag?, sourceLastModified?, decodeScale, url}
 */
public record CachedResult(JsonObject meta, byte[] body) {
  private static final int MAGIC = 0x50584331; // "PXC1"

  public String contentType() {
    return meta.getString("contentType");
  }

  public String etag() {
    return meta.getString("etag");
  }

  /** Until when (epoch ms) the source is fresh: no need to ask it again before then. */
  public long freshUntil() {
    return meta.getLong("freshUntil", 0L);
  }

  public String sourceEtag() {
    return meta.getString("sourceEtag");
  }

  public String sourceLastModified() {
    return meta.getString("sourceLastModified");
  }

  /** The same result with other metadata (after a revalidation: a new freshness). */
  public CachedResult withMeta(JsonObject newMeta) {
    return new CachedResult(newMeta, body);
  }

  /** The bytes of the file. */
  public byte[] encode() {
    byte[] json = meta.encode().getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(12 + json.length + body.length);
    try (DataOutputStream data = new DataOutputStream(out)) {
      data.writeInt(MAGIC);
      data.writeInt(json.length);
      data.write(json);
      data.writeInt(body.length);
      data.write(body);
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory", e);
    }
    return out.toByteArray();
  }

  /** A file's result, or null when the bytes are not a whole one. */
  public static CachedResult decode(byte[] file) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(file))) {
      if (file.length < 12 || in.readInt() != MAGIC) {
        return null;
      }
      int metaLength = in.readInt();
      if (metaLength < 2 || 8L + metaLength + 4 > file.length) {
        return null;
      }
      JsonObject meta = new JsonObject(new String(file, 8, metaLength, StandardCharsets.UTF_8));
      int bodyLength = (file[8 + metaLength] & 0xFF) << 24 | (file[9 + metaLength] & 0xFF) << 16
          | (file[10 + metaLength] & 0xFF) << 8 | (file[11 + metaLength] & 0xFF);
      int bodyStart = 12 + metaLength;
      if (bodyLength < 0 || (long) bodyStart + bodyLength != file.length) {
        return null;
      }
      return new CachedResult(meta, Arrays.copyOfRange(file, bodyStart, file.length));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
