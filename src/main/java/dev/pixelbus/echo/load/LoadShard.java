package dev.pixelbus.echo.load;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * The connections of one event loop and everything they count. All fields are touched on this
 * verticle's event loop only; {@link EchoLoad} reads them through {@link #snapshot}.
 */
final class LoadShard extends VerticleBase {
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
  private final List<Conn> conns = new ArrayList<>();
  private final LatencyHistogram histogram = new LatencyHistogram();
  private final List<String> firstErrors = new ArrayList<>();
  private NetClient client;
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

  LoadShard(LoadSettings s, int index, Phase phase, int maxErrors) {
    this.s = s;
    this.index = index;
    this.phase = phase;
    this.maxErrors = maxErrors;
    this.count = LoadSettings.share(s.connections(), index, s.threads());
  }

  Context context() {
    return context;
  }

  @Override
  public Future<?> start() {
    client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true)
        .setConnectTimeout(s.connectTimeoutMillis()));
    allAttempted = Promise.promise();
    connectMore();
    return allAttempted.future();
  }

  /** Keeps up to connectConcurrency / threads connects in flight until all are attempted. */
  private void connectMore() {
    int limit = Math.max(1, s.connectConcurrency() / s.threads());
    while (inFlight < limit && attempted < count) {
      int i = index + attempted * s.threads();
      attempted++;
      inFlight++;
      client.connect(s.port(), s.host()).onComplete(ar -> {
        inFlight--;
        if (ar.succeeded()) {
          conns.add(new Conn(i, ar.result()));
        } else {
          connectFailures++;
          error("connect c" + i + " failed: " + ar.cause());
        }
        connectMore();
      });
    }
    if (inFlight == 0 && attempted == count) {
      allAttempted.tryComplete();
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

  /** Idle mode: sends line 0 on every connection; the future completes once each has answered or closed. */
  Future<Void> oneLineEach() {
    oneLineDone = Promise.promise();
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
      oneLineDone.complete();
    }
    return oneLineDone.future();
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
        oneLineDone.tryComplete();
      }
    }
  }

  /** One connection: its checker, the send times of its lines in flight and the bytes to write. */
  private final class Conn implements ReplyChecker.Listener {
    final int i;
    final NetSocket socket;
    final byte[] id;
    final ReplyChecker checker;
    final long[] sentAt = new long[s.depth()];
    long sent;
    long now;
    boolean open = true;
    boolean waiting;
    Buffer out;

    Conn(int i, NetSocket socket) {
      this.i = i;
      this.socket = socket;
      this.id = ("c" + i + "-").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      this.checker = new ReplyChecker(i, s.framing());
      socket.handler(this::read);
      socket.closeHandler(v -> closed());
      socket.exceptionHandler(e -> error("c" + i + ": " + e));
    }

    void read(Buffer buf) {
      now = System.nanoTime();
      long before = checker.prefixes();
      checker.feed(buf::getByte, buf.length(), this);
      long written = checker.prefixes() - before;
      prefixes += written;
      if (phase.get() == Phase.MEASURE) {
        measuredPrefixes += written;
      }
      flush();
    }

    void queue(long k, long at) {
      if (out == null) {
        out = Buffer.buffer(32);
      }
      out.appendBytes(ReplyChecker.line(id, k));
      sentAt[(int) (k % sentAt.length)] = at;
      sent = k + 1;
    }

    void flush() {
      if (out != null) {
        socket.write(out);
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

    private void closed() {
      open = false;
      if (phase.get() != Phase.STOP) {
        closed++;
        error("c" + i + " was closed by the server after " + checker.expected() + " replies"
            + (checker.partial() ? " (in the middle of one)" : ""));
      }
      answered(this);
    }
  }
}
