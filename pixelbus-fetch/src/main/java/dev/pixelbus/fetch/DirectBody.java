package dev.pixelbus.fetch;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;

/**
 * A small body collected in direct memory of its announced size, so that it reaches the file in one
 * write with no copy of its own (a heap buffer is copied into a direct one by the JDK to be written).
 * Vert.x's {@code BufferInternal} is the one way to put a Netty buffer behind a {@link Buffer}; this
 * class is its one place in the module. Released once written.
 */
final class DirectBody {
  private final ByteBuf bytes;
  private final Buffer buffer;

  DirectBody(int length) {
    this.bytes = Unpooled.directBuffer(length);
    this.buffer = BufferInternal.buffer(bytes);
  }

  /** What the response's chunks are appended to. */
  Buffer buffer() {
    return buffer;
  }

  /** The bytes for the write, without a copy. */
  ByteBuffer nio() {
    return bytes.nioBuffer();
  }

  void release() {
    bytes.release();
  }
}
