package dev.pixelbus.image.chunk;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch chunk that carries its images, for workers on other machines, which cannot read the
 * sender's files: a JSON header, then each image's bytes. A single binary message, because the
 * event bus's JSON codec would send the images as base64 text, a third larger and slower to make.
 * The same layout carries the reply: the header says what happened, and the parts are the encoded
 * results, one per file in the request's order (empty for a file that failed, and for info).
 *
 * <p>Layout: {@code int headerLength, header (UTF-8 JSON), int parts, then per part: int length, bytes}.
 */
public record BatchFrame(JsonObject header, List<Buffer> parts) {
  /** The most parts a frame may declare: far above any chunk, low enough that a corrupt count fails fast. */
  static final int MAX_PARTS = 1 << 16;

  /**
   * An image's bytes as a part, without a copy: {@link #encode} copies each part into the frame once,
   * and {@code Buffer.buffer(byte[])} would copy it once more before that.
   */
  public static Buffer part(byte[] bytes) {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(bytes));
  }

  public Buffer encode() {
    Buffer head = header.toBuffer();
    long size = 8L + head.length();
    for (Buffer p : parts) {
      size += 4L + p.length();
    }
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a batch frame of " + size + " bytes is over the 2 GiB a message can hold");
    }
    Buffer out = Buffer.buffer((int) size).appendInt(head.length()).appendBuffer(head).appendInt(parts.size());
    for (Buffer p : parts) {
      out.appendInt(p.length()).appendBuffer(p);
    }
    return out;
  }

  /** Reads a frame; the parts are slices of {@code frame}, not copies. */
  public static BatchFrame decode(Buffer frame) {
    int pos = 0;
    int headLength = lengthAt(frame, pos, "header");
    pos += 4;
    JsonObject header = new JsonObject(frame.slice(pos, pos + headLength));
    pos += headLength;
    int count = frame.getInt(check(frame, pos, 4, "part count"));
    if (count < 0 || count > MAX_PARTS) {
      throw new IllegalArgumentException("corrupt batch frame: " + count + " parts");
    }
    pos += 4;
    List<Buffer> parts = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int length = lengthAt(frame, pos, "part " + i);
      pos += 4;
      parts.add(frame.slice(pos, pos + length));
      pos += length;
    }
    if (pos != frame.length()) {
      throw new IllegalArgumentException("corrupt batch frame: " + (frame.length() - pos) + " bytes after the last part");
    }
    return new BatchFrame(header, parts);
  }

  private static int lengthAt(Buffer frame, int pos, String what) {
    int length = frame.getInt(check(frame, pos, 4, what));
    check(frame, pos + 4, length, what);
    return length;
  }

  private static int check(Buffer frame, int pos, int length, String what) {
    if (length < 0 || pos + (long) length > frame.length()) {
      throw new IllegalArgumentException("corrupt batch frame: " + what + " runs past its end");
    }
    return pos;
  }
}
