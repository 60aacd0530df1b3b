package dev.pixelbus.bridge;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * Cuts a byte stream into bridge frames (a 4-byte big-endian length, then that many bytes) and
 * hands on each whole frame, header included. A frame whose header claims more than
 * {@code maxFrameBytes} is refused at once, before any of it is buffered: the bridge's own parser
 * has no limit and would collect whatever length a header claims.
 */
final class FrameReader implements Handler<Buffer> {
  /** What a reader reports. */
  interface Listener {
    void frame(Buffer frame);

    void tooLarge(long claimed);
  }

  private final long maxFrameBytes;
  private final Listener listener;
  private Buffer pending = Buffer.buffer();
  private boolean refused;

  FrameReader(long maxFrameBytes, Listener listener) {
    this.maxFrameBytes = maxFrameBytes;
    this.listener = listener;
  }

  @Override
  public void handle(Buffer data) {
    if (refused) {
      return;
    }
    pending.appendBuffer(data);
    int offset = 0;
    while (pending.length() - offset >= 4) {
      long length = pending.getUnsignedInt(offset);
      if (length > maxFrameBytes) {
        refused = true;
        pending = Buffer.buffer();
        listener.tooLarge(length);
        return;
      }
      if (pending.length() - offset - 4 < length) {
        break;
      }
      listener.frame(pending.getBuffer(offset, offset + 4 + (int) length));
      offset += 4 + (int) length;
    }
    if (offset > 0) {
      pending = pending.getBuffer(offset, pending.length());
    }
  }
}
