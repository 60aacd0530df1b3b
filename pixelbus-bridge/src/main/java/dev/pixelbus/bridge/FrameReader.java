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

    /** The readers of one front hold more unfinished frames than they may; this one stops. */
    default void overBudget(long held) {
    }
  }

  /**
   * The bytes of unfinished frames that all the readers of one front may hold at once. Each frame is
   * bounded by maxFrameBytes, but a thousand clients each sending most of one and then waiting
   * would hold a thousand of them. Used from the front's event loop only.
   */
  static final class Budget {
    private final long max;
    private long held;

    Budget(long max) {
      this.max = max;
    }

    long held() {
      return held;
    }
  }

  private final long maxFrameBytes;
  private final Listener listener;
  private final Budget budget;
  private Buffer pending = Buffer.buffer();
  private boolean refused;

  FrameReader(long maxFrameBytes, Listener listener) {
    this(maxFrameBytes, listener, new Budget(Long.MAX_VALUE));
  }

  FrameReader(long maxFrameBytes, Listener listener, Budget budget) {
    this.maxFrameBytes = maxFrameBytes;
    this.listener = listener;
    this.budget = budget;
  }

  /** The connection ended: what it held goes back to the budget. */
  void release() {
    budget.held -= pending.length();
    pending = Buffer.buffer();
    refused = true;
  }

  @Override
  public void handle(Buffer data) {
    if (refused) {
      return;
    }
    int before = pending.length();
    read(data);
    budget.held += pending.length() - before;
    if (pending.length() > 0 && budget.held > budget.max) {
      budget.held -= pending.length();
      pending = Buffer.buffer();
      refused = true;
      listener.overBudget(budget.held);
    }
  }

  private void read(Buffer data) {
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
