package dev.pixelbus.echo;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
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
  static final String IDLE = "error: idle for %d ms; closing\r\n";
  static final String SHUTTING_DOWN = "server shutting down; goodbye\r\n";

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
    if (!counters.tryOpen(settings.maxConnections())) {
      LOG.warn("Refused {}: {} connections open", socket.remoteAddress(), settings.maxConnections());
      socket.write(String.format(BUSY, settings.maxConnections())).onComplete(x -> socket.close());
      return;
    }
    Connection connection = new Connection(socket);
    connections.add(connection);
    LOG.info("Connection from {}", socket.remoteAddress());
    socket.closeHandler(v -> {
      connections.remove(connection);
      counters.closed();
      if (stopping && connections.isEmpty()) {
        allClosed.tryComplete();
      }
      LOG.debug("Closed {}", socket.remoteAddress());
    });
    socket.exceptionHandler(e -> LOG.debug("Connection {}: {}", socket.remoteAddress(), e.toString()));
    socket.shutdownHandler(v -> connection.closeWith(SHUTTING_DOWN.getBytes(StandardCharsets.US_ASCII)));
    socket.setWriteQueueMaxSize(settings.writeQueueBytes());
    socket.drainHandler(v -> socket.resume());
    socket.handler(connection::read);
    socket.endHandler(v -> connection.end());
    if (!settings.greeting().isEmpty()) {
      socket.write(settings.greeting() + "\r\n");
    }
  }

  private void closeIdle() {
    long now = System.nanoTime();
    long limit = TimeUnit.MILLISECONDS.toNanos(settings.idleTimeoutMs());
    for (Connection c : new ArrayList<>(connections)) {
      if (now - c.lastRead > limit && !c.closing) {
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
      EchoSession.Outcome outcome = session.feed(bytes, bytes.length);
      EchoSession.Output out = session.output();
      counters.echoed(out.lines(), out.lineBytes());
      if (outcome == EchoSession.Outcome.TOO_LONG) {
        counters.tooLong();
        LOG.info("Closing {}: line over {} bytes", socket.remoteAddress(), settings.maxLineBytes());
      }
      if (outcome != EchoSession.Outcome.CONTINUE) {
        closeWith(Arrays.copyOf(out.bytes(), out.length()));
        return;
      }
      if (out.length() > 0) {
        socket.write(Buffer.buffer(Arrays.copyOf(out.bytes(), out.length())));
        if (socket.writeQueueFull()) {
          // A client that sends but does not read: stop reading until its replies drain.
          socket.pause();
        }
      }
    }

    void end() {
      if (!closing) {
        session.endOfInput();
        counters.echoed(session.output().lines(), session.output().lineBytes());
        closeWith(Arrays.copyOf(session.output().bytes(), session.output().length()));
      }
    }

    void closeWith(byte[] lastWords) {
      closing = true;
      socket.write(Buffer.buffer(lastWords)).onComplete(x -> socket.close());
    }

    void logLine(byte[] line, int length) {
      LOG.info("Received {} from {}", new String(line, 0, length, StandardCharsets.UTF_8), socket.remoteAddress());
    }
  }
}
