package dev.pixelbus.echo;

import dev.pixelbus.common.auth.Loopback;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance of the line echo server. Several instances listen on the same host and port; Vert.x
 * spreads the connections over them, and each instance's connections live on its own event loop,
 * so nothing here is shared but the counters.
 */
public final class EchoServerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(EchoServerVerticle.class);
  static final String BUSY = "error: server busy (%d connections); try again later\r\n";
  static final String TOO_MANY = "error: too many connections from your address (%d); try again later\r\n";
  static final String IDLE = "error: idle for %d ms; closing\r\n";
  static final String SHUTTING_DOWN = "server shutting down; goodbye\r\n";
  /**
   * Input is echoed this many bytes at a time, with a look at the write queue in between. A reply
   * can be 15 times its input (an empty line becomes "Echoed back: \r\n"), so a 64 KiB read of
   * newlines would otherwise queue about 1 MB for a client that does not read.
   */
  static final int SLICE = 4096;
  /** The longest wait for a closing connection's last line to leave before the socket is closed anyway. */
  static final long CLOSE_GRACE_MS = 5000;

  private final EchoSettings settings;
  private final EchoCounters counters;
  private final Set<Connection> connections = new HashSet<>();
  private NetServer server;
  private long sweepTimer = -1;
  private final Promise<Void> allClosed = Promise.promise();
  private boolean stopping;

  public EchoServerVerticle(EchoSettings settings, EchoCounters counters) {
    this.settings = settings;
    this.counters = counters;
  }

  @Override
  public Future<?> start() {
    server = vertx.createNetServer(new NetServerOptions().setTcpNoDelay(true).setAcceptBacklog(4096));
    server.connectHandler(this::accept);
    // One sweep per instance instead of a timer per connection: 10,000 idle clients cost one task.
    long sweepEvery = Math.max(10, Math.min(1000, settings.idleTimeoutMs() / 10));
    sweepTimer = vertx.setPeriodic(sweepEvery, id -> closeIdle());
    return server.listen(settings.port(), settings.host());
  }

  /** Stops accepting, tells each open client, and gives them the shutdown timeout to go. */
  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sweepTimer);
    stopping = true;
    // The server's shutdown ends when the sockets are closed; their close handlers (and so the
    // counters) run just after. Wait for those too, so the counters logged at shutdown are final.
    return server.shutdown(settings.shutdownTimeoutMs(), TimeUnit.MILLISECONDS).compose(v -> {
      if (connections.isEmpty()) {
        return Future.succeededFuture();
      }
      long timer = vertx.setTimer(Math.max(1, settings.shutdownTimeoutMs()), t -> allClosed.tryComplete());
      return allClosed.future().onComplete(x -> vertx.cancelTimer(timer));
    });
  }

  /** The port it listens on (useful when the configured port is 0). */
  public int actualPort() {
    return server.actualPort();
  }

  private void accept(NetSocket socket) {
    // Loopback clients are this machine's own users; the per-address limit keeps one remote host
    // from taking every slot.
    String address = socket.remoteAddress().hostAddress();
    String limited = address == null || Loopback.is(address) ? null : address;
    if (limited != null && !counters.tryOpenFrom(limited, settings.maxConnectionsPerIp())) {
      LOG.warn("Refused {}: {} connections open from it (echo.maxConnectionsPerIp)", socket.remoteAddress(),
          settings.maxConnectionsPerIp());
      socket.write(String.format(TOO_MANY, settings.maxConnectionsPerIp())).onComplete(x -> socket.close());
      return;
    }
    if (!counters.tryOpen(settings.maxConnections())) {
      LOG.warn("Refused {}: {} connections open", socket.remoteAddress(), settings.maxConnections());
      if (limited != null) {
        counters.closedFrom(limited);
      }
      socket.write(String.format(BUSY, settings.maxConnections())).onComplete(x -> socket.close());
      return;
    }
    Connection connection = new Connection(socket);
    connections.add(connection);
    LOG.info("Connection from {}", socket.remoteAddress());
    socket.closeHandler(v -> {
      connections.remove(connection);
      counters.closed();
      if (limited != null) {
        counters.closedFrom(limited);
      }
      if (stopping && connections.isEmpty()) {
        allClosed.tryComplete();
      }
      LOG.debug("Closed {}", socket.remoteAddress());
    });
    socket.exceptionHandler(e -> LOG.debug("Connection {}: {}", socket.remoteAddress(), e.toString()));
    socket.shutdownHandler(v -> connection.closeWith(SHUTTING_DOWN.getBytes(StandardCharsets.US_ASCII)));
    socket.setWriteQueueMaxSize(settings.writeQueueBytes());
    socket.drainHandler(v -> connection.drained());
    socket.handler(connection::read);
    socket.endHandler(v -> connection.end());
    if (!settings.greeting().isEmpty()) {
      socket.write(settings.greeting() + "\r\n");
    }
  }

  private void closeIdle() {
    long now = System.nanoTime();
    long limit = TimeUnit.MILLISECONDS.toNanos(settings.idleTimeoutMs());
    long grace = TimeUnit.MILLISECONDS.toNanos(Math.min(settings.idleTimeoutMs(), CLOSE_GRACE_MS));
    for (Connection c : new ArrayList<>(connections)) {
      if (c.closing && now - c.closingSince > grace) {
        // Its last line never left: a client that does not read. The slot goes back to the others.
        LOG.info("Closing {}: its last line was not read within {} ms", c.socket.remoteAddress(),
            TimeUnit.NANOSECONDS.toMillis(grace));
        // NetSocket.close() waits for the queued writes to leave, which they never will: close from below
        // Vert.x's own handler (its context passes the close on towards the socket), which drops them.
        ((NetSocketInternal) c.socket).channelHandlerContext().close();
      } else if (now - c.lastRead > limit && !c.closing) {
        counters.idleClosed();
        LOG.info("Closing idle {}", c.socket.remoteAddress());
        c.closeWith(String.format(IDLE, settings.idleTimeoutMs()).getBytes(StandardCharsets.US_ASCII));
      }
    }
  }

  private final class Connection {
    final NetSocket socket;
    final EchoSession session;
    long lastRead = System.nanoTime();
    boolean closing;
    long closingSince;
    /** Input not yet echoed because the client's replies were not being read; null when none. */
    private byte[] unread;
    private int unreadFrom;

    Connection(NetSocket socket) {
      this.socket = socket;
      this.session = new EchoSession(settings.maxLineBytes(), settings.telnet(),
          settings.logMessages() ? this::logLine : null, settings.closeAfterReply() ? 1 : Long.MAX_VALUE);
    }

    void read(Buffer data) {
      if (closing) {
        return;
      }
      lastRead = System.nanoTime();
      byte[] bytes = data.getBytes();
      if (unread != null) {
        // Delivered while paused (already read from the kernel): behind what waits, in order.
        byte[] rest = Arrays.copyOfRange(unread, unreadFrom, unread.length + bytes.length);
        System.arraycopy(bytes, 0, rest, unread.length - unreadFrom, bytes.length);
        unread = rest;
        unreadFrom = 0;
        return;
      }
      unread = bytes;
      unreadFrom = 0;
      echoUnread();
    }

    /**
     * Echoes the waiting input a slice at a time. When the client's replies fill its write queue,
     * the rest waits here and the socket is paused, so its next input waits in the kernel's
     * buffers, not in the heap.
     */
    private void echoUnread() {
      while (unread != null && !closing) {
        int n = Math.min(SLICE, unread.length - unreadFrom);
        EchoSession.Outcome outcome = session.feed(unread, unreadFrom, n);
        unreadFrom += n;
        if (unreadFrom == unread.length) {
          unread = null;
        }
        EchoSession.Output out = session.output();
        counters.echoed(out.lines(), out.lineBytes());
        if (outcome == EchoSession.Outcome.TOO_LONG) {
          counters.tooLong();
          LOG.info("Closing {}: line over {} bytes", socket.remoteAddress(), settings.maxLineBytes());
        }
        if (outcome != EchoSession.Outcome.CONTINUE) {
          unread = null;
          closeWith(Arrays.copyOf(out.bytes(), out.length()));
          return;
        }
        if (out.length() > 0) {
          socket.write(Buffer.buffer(Arrays.copyOf(out.bytes(), out.length())));
          if (socket.writeQueueFull()) {
            // A client that sends but does not read: stop reading until its replies drain.
            socket.pause();
            return;
          }
        }
      }
    }

    /** The client read its replies: echo what waited, then read again if it all went. */
    void drained() {
      echoUnread();
      if (unread == null && !closing && !socket.writeQueueFull()) {
        socket.resume();
      }
    }

    void end() {
      if (!closing) {
        // Vert.x has closed the socket by now (no half-close): input that waited for a reader is moot.
        unread = null;
        session.endOfInput();
        counters.echoed(session.output().lines(), session.output().lineBytes());
        closeWith(Arrays.copyOf(session.output().bytes(), session.output().length()));
      }
    }

    void closeWith(byte[] lastWords) {
      closing = true;
      closingSince = System.nanoTime();
      socket.write(Buffer.buffer(lastWords)).onComplete(x -> socket.close());
    }

    void logLine(byte[] line, int length) {
      LOG.info("Received {} from {}", new String(line, 0, length, StandardCharsets.UTF_8), socket.remoteAddress());
    }
  }
}
