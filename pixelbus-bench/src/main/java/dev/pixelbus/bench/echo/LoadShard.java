package dev.pixelbus.bench.echo;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.Promise;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The connections of one event loop and everything they count. Every field is touched on that
 * event loop only; {@link EchoLoad} reaches them by submitting tasks to it. Netty directly (the
 * Netty that Vert.x ships), not Vert.x's NetClient: against the uvloop server, pinned, the same
 * client on NetClient cost 4.8 µs of CPU per reply at 100 × 1 and this 4.4 (the same at 1000 × 4,
 * 1.7-1.9), and the client is what runs out of CPU first on two cores.
 */
final class LoadShard {
  /** The run's phase, set by the driving thread, read on every reply. */
  static final class Phase {
    static final int WARMUP = 0;
    static final int MEASURE = 1;
    static final int COOLDOWN = 2;
    static final int STOP = 3;
    private volatile int value = WARMUP;

    void set(int v) {
      value = v;
    }

    int get() {
      return value;
    }
  }

  record Snapshot(int connected, long connectFailures, long replies, long mismatches, long closed,
      long prefixes, long measuredPrefixes, long succeeded, LatencyHistogram histogram, List<String> firstErrors) {
    Snapshot plus(Snapshot o, int maxErrors) {
      LatencyHistogram h = histogram.copy();
      h.add(o.histogram);
      List<String> e = new ArrayList<>(firstErrors);
      for (String x : o.firstErrors) {
        if (e.size() < maxErrors) {
          e.add(x);
        }
      }
      return new Snapshot(connected + o.connected, connectFailures + o.connectFailures, replies + o.replies,
          mismatches + o.mismatches, closed + o.closed, prefixes + o.prefixes, measuredPrefixes + o.measuredPrefixes,
          succeeded + o.succeeded, h, e);
    }
  }

  private final LoadSettings s;
  private final int index;
  private final Phase phase;
  private final int maxErrors;
  private final int count;
  private final EventLoop loop;
  private final Bootstrap bootstrap;
  private final List<Conn> conns = new ArrayList<>();
  private final LatencyHistogram histogram = new LatencyHistogram();
  private final List<String> firstErrors = new ArrayList<>();
  private Promise<Void> allAttempted;
  private int attempted;
  private int inFlight;
  private long connectFailures;
  private long replies;
  private long mismatches;
  private long closed;
  private long prefixes;
  private long measuredPrefixes;
  private long succeeded;
  private int oneLinePending;
  private Promise<Void> oneLineDone;

  LoadShard(LoadSettings s, int index, Phase phase, int maxErrors, EventLoop loop) {
    this.s = s;
    this.index = index;
    this.phase = phase;
    this.maxErrors = maxErrors;
    this.count = LoadSettings.share(s.connections(), index, s.threads());
    this.loop = loop;
    this.bootstrap = new Bootstrap().group(loop).channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, s.connectTimeoutMillis());
  }

  EventLoop loop() {
    return loop;
  }

  /** Starts connecting; the promise completes once every connect has succeeded or failed. */
  Promise<Void> connectAll() {
    allAttempted = loop.newPromise();
    connectMore();
    return allAttempted;
  }

  /** Keeps up to connectConcurrency / threads connects in flight until all are attempted. */
  private void connectMore() {
    int limit = Math.max(1, s.connectConcurrency() / s.threads());
    while (inFlight < limit && attempted < count) {
      int i = index + attempted * s.threads();
      attempted++;
      inFlight++;
      Conn conn = new Conn(i);
      bootstrap.clone().handler(conn).connect(s.host(), s.port()).addListener(f -> {
        inFlight--;
        if (f.isSuccess()) {
          conns.add(conn);
        } else {
          connectFailures++;
          error("connect c" + i + " failed: " + f.cause());
        }
        connectMore();
      });
    }
    if (inFlight == 0 && attempted == count) {
      allAttempted.trySuccess(null);
    }
  }

  /** Puts depth lines in flight on every connection. */
  Void begin() {
    long now = System.nanoTime();
    for (Conn c : conns) {
      if (c.open) {
        for (int k = 0; k < s.depth(); k++) {
          c.queue(k, now);
        }
        c.flush();
      }
    }
    return null;
  }

  /** Idle mode: sends line 0 on every connection; the promise completes once each has answered or closed. */
  Promise<Void> oneLineEach() {
    oneLineDone = loop.newPromise();
    long now = System.nanoTime();
    for (Conn c : conns) {
      if (c.open) {
        oneLinePending++;
        c.waiting = true;
        c.queue(0, now);
        c.flush();
      }
    }
    if (oneLinePending == 0) {
      oneLineDone.trySuccess(null);
    }
    return oneLineDone;
  }

  Snapshot snapshot() {
    int connected = 0;
    for (Conn c : conns) {
      connected += c.open ? 1 : 0;
    }
    return new Snapshot(connected, connectFailures, replies, mismatches, closed, prefixes, measuredPrefixes, succeeded,
        histogram.copy(), List.copyOf(firstErrors));
  }

  private void error(String text) {
    if (firstErrors.size() < maxErrors) {
      firstErrors.add(text);
    }
  }

  private void answered(Conn c) {
    if (c.waiting) {
      c.waiting = false;
      if (--oneLinePending == 0) {
        oneLineDone.trySuccess(null);
      }
    }
  }

  /**
   * One connection: its checker, the send times of its lines in flight and the lines to write.
   * The lines sent in answer to one read go out in one write, flushed once the read is done.
   */
  private final class Conn extends ChannelInboundHandlerAdapter implements ReplyChecker.Listener {
    final int i;
    final byte[] id;
    final ReplyChecker checker;
    final long[] sentAt = new long[s.depth()];
    ChannelHandlerContext ctx;
    long sent;
    long now;
    boolean open;
    boolean waiting;
    boolean unflushed;
    ByteBuf out;

    Conn(int i) {
      this.i = i;
      this.id = ("c" + i + "-").getBytes(StandardCharsets.US_ASCII);
      this.checker = new ReplyChecker(i, s.framing());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      this.ctx = ctx;
      open = true;
      ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf buf = (ByteBuf) msg;
      try {
        now = System.nanoTime();
        long before = checker.prefixes();
        int from = buf.readerIndex();
        checker.feed(j -> buf.getByte(from + j), buf.readableBytes(), this);
        long written = checker.prefixes() - before;
        prefixes += written;
        if (phase.get() == Phase.MEASURE) {
          measuredPrefixes += written;
        }
      } finally {
        buf.release();
      }
      if (out != null) {
        ctx.write(out, ctx.voidPromise());
        out = null;
        unflushed = true;
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (unflushed) {
        unflushed = false;
        ctx.flush();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      open = false;
      if (out != null) {
        out.release();
        out = null;
      }
      if (phase.get() != Phase.STOP) {
        closed++;
        error("c" + i + " was closed by the server after " + checker.expected() + " replies"
            + (checker.partial() ? " (in the middle of one)" : ""));
      }
      answered(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (phase.get() != Phase.STOP) {
        error("c" + i + ": " + cause);
      }
      ctx.close();
    }

    void queue(long k, long at) {
      if (out == null) {
        out = ctx.alloc().buffer(16 * s.depth());
      }
      out.writeBytes(ReplyChecker.line(id, k));
      sentAt[(int) (k % sentAt.length)] = at;
      sent = k + 1;
    }

    void flush() {
      if (out != null) {
        ctx.writeAndFlush(out, ctx.voidPromise());
        out = null;
      }
    }

    @Override
    public void reply(long k) {
      if (k >= sent) {
        mismatches++;
        error("c" + i + ": a reply to line " + k + ", which was not sent yet");
        return;
      }
      replies++;
      if (s.idle()) {
        if (waiting) {
          succeeded++;
        }
        answered(this);
        return;
      }
      int p = phase.get();
      if (p == Phase.MEASURE) {
        histogram.record(now - sentAt[(int) (k % sentAt.length)]);
      }
      if (p != Phase.STOP) {
        queue(k + s.depth(), now);
      }
    }

    @Override
    public void mismatch(long k, String expected, String got) {
      mismatches++;
      error("c" + i + ": line " + k + ": expected \"" + expected + "\", got \"" + got + "\"");
      if (s.idle()) {
        answered(this);
      } else if (phase.get() != Phase.STOP && k < sent) {
        queue(k + s.depth(), now);
      }
    }
  }
}
