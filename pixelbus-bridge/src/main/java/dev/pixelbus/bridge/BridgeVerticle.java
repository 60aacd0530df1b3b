package dev.pixelbus.bridge;

import dev.pixelbus.api.ErrorCode;
import dev.pixelbus.common.auth.AuthSettings;
import dev.pixelbus.common.auth.FailedAttempts;
import dev.pixelbus.common.auth.TlsReloader;
import dev.pixelbus.common.auth.TlsSettings;
import dev.pixelbus.common.auth.TlsStartup;
import dev.pixelbus.common.auth.Tokens;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP event-bus bridge for programs in other languages (frames: a 4-byte big-endian length,
 * then JSON). Inbound it lets through only the public pixelbus addresses — never the internal
 * {@code pixelbus.image.batch.chunk} or {@code pixelbus.image.worker.*}; outbound only the progress
 * events.
 *
 * <p>vertx-tcp-eventbus-bridge has no frame limit and ignores malformed JSON without a word, and it
 * gives no hook before it reads. So the bridge listens privately (see {@link #listenInside}), and the public
 * port is a small front that reads whole frames ({@link FrameReader}): a frame over
 * {@code maxFrameBytes} gets an {@code err} frame and the connection is closed before the frame is
 * buffered; malformed JSON gets an {@code err} frame and the connection goes on; good frames pass
 * to the bridge (on a domain socket only this user can reach, where there is one) unchanged, and the bridge's frames come back whole, so an error frame never lands
 * inside another frame.
 */
public final class BridgeVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeVerticle.class);
  /**
   * A reply address the front can find again in the bridge's answer: plain, and short. Clients use
   * a UUID or the like; anything else would be kept in memory until the connection ends.
   */
  private static final Pattern REPLY_ADDRESS = Pattern.compile("[\\x20-\\x7E&&[^\"\\\\]]{1,256}");

  /** Frames without a good token one connection may send before it is closed. */
  static final int MAX_BAD_FRAMES = 3;

  private final BridgeSettings settings;
  private final Tokens tokens;
  private final FailedAttempts failures;
  private TlsReloader tlsReloader;
  private int connections;
  private FrameReader.Budget budget;
  private Path insideDir;
  private SocketAddress insideAddress;
  private TcpEventBusBridge bridge;
  private NetServer front;
  private NetClient toBridge;

  /**
   * @param auth the tokens every send, publish and register must carry in {@code headers.authorization}
   *             (none: no token is asked for)
   */
  public BridgeVerticle(BridgeSettings settings, AuthSettings auth) {
    this.settings = settings;
    this.tokens = new Tokens(auth);
    this.failures = new FailedAttempts(auth);
  }

  /** With no tokens asked for (loopback, tests, embedding). */
  public BridgeVerticle(BridgeSettings settings) {
    this(settings, AuthSettings.from(new JsonObject()));
  }

  @Override
  public Future<?> start() {
    long maxFrame = settings.maxFrameBytes();
    BridgeOptions options = BridgePermissions.permit(new BridgeOptions());
    bridge = TcpEventBusBridge.create(vertx, options);
    toBridge = vertx.createNetClient();
    budget = new FrameReader.Budget(settings.maxBufferedBytes());
    TlsSettings tls = settings.tls();
    // Idle: no byte either way (a client waiting for progress events gets them; an idle one can send "ping").
    NetServerOptions frontOptions = TlsStartup.configure(tls, new NetServerOptions()
        .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, settings.idleTimeoutMs()))
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS));
    tlsReloader = new TlsReloader(vertx, tls, "bridge", o -> front.updateSSLOptions(o, true));
    // The bridge behind the front starts once the pair is known to be readable, and before the front listens.
    return TlsStartup.listen(tlsReloader,
            () -> listenInside().map(inner -> {
              insideAddress = inner;
              front = frontServer(frontOptions, inner);
              return inner;
            }),
            () -> front.listen(settings.port(), settings.host()))
        .onSuccess(s -> LOG.info("bridge{} listening on {}:{} (frames up to {} bytes; bridge inside on {}; {})",
            tls.enabled() ? " (TLS)" : "", settings.host(), s.actualPort(), maxFrame, insideAddress,
            tokens.required() ? "a token asked for" : "no token asked for"));
  }

  /** The public front: each client gets a {@link Connection} to the bridge at {@code inner}, up to bridge.maxConnections. */
  private NetServer frontServer(NetServerOptions frontOptions, SocketAddress inner) {
    int maxConnections = settings.maxConnections();
    return vertx.createNetServer(frontOptions).connectHandler(client -> {
      if (connections >= maxConnections) {
        client.write(errFrame(ErrorCode.BUSY.code, "bridge busy: " + maxConnections + " connections open (bridge.maxConnections)"))
            .onComplete(x -> client.close());
        return;
      }
      connections++;
      connect(client, inner);
    });
  }

  /**
   * The bridge itself listens where only this user can reach it: a Unix domain socket in a folder of
   * its own (mode 700), so that no local process can skip the front's frame limit by connecting to the
   * bridge directly. Where domain sockets are not available (no native transport), a loopback port.
   */
  private Future<SocketAddress> listenInside() {
    try {
      Path dir = Files.createTempDirectory("pixelbus-bridge",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      insideDir = dir;
      SocketAddress socket = SocketAddress.domainSocketAddress(dir.resolve("bridge.sock").toString());
      return bridge.listen(socket).map(b -> socket).recover(e -> {
        LOG.debug("bridge: no domain socket ({}); inside on a loopback port", e.toString());
        deleteInsideDir();
        return listenOnLoopback();
      });
    } catch (IOException | UnsupportedOperationException e) {
      return listenOnLoopback();
    }
  }

  private Future<SocketAddress> listenOnLoopback() {
    SocketAddress socket = SocketAddress.inetSocketAddress(freeLoopbackPort(), "127.0.0.1");
    return bridge.listen(socket).map(b -> socket);
  }

  private void deleteInsideDir() {
    if (insideDir != null) {
      try {
        Files.deleteIfExists(insideDir.resolve("bridge.sock"));
        Files.deleteIfExists(insideDir);
      } catch (IOException ignored) {
        // a temp folder; the system cleans it
      }
      insideDir = null;
    }
  }

  /** Where the bridge itself listens, behind the front. */
  SocketAddress insideAddress() {
    return insideAddress;
  }

  /** The port the front listens on (the configured one, or the one picked for 0). */
  public int actualPort() {
    return front.actualPort();
  }

  @Override
  public Future<?> stop() {
    if (tlsReloader != null) {
      tlsReloader.stop();
    }
    return front.shutdown(settings.shutdownTimeoutMs(), TimeUnit.MILLISECONDS)
        .transform(x -> bridge.close())
        .transform(x -> vertx.executeBlocking(() -> {
          deleteInsideDir();
          return null;
        }));
  }

  private void connect(NetSocket client, SocketAddress inner) {
    // The connection counts the client's close from now on, while the bridge is reached too: one decrement either way.
    Connection connection = new Connection(client, settings.maxFrameBytes(), settings.maxInFlight(), budget, tokens,
        failures, () -> connections--);
    toBridge.connect(inner).onFailure(e -> {
      LOG.warn("bridge: cannot reach the inner bridge: {}", e.toString());
      client.close();
    }).onSuccess(connection::start);
  }

  /**
   * One client and its private connection to the bridge. It remembers the reply addresses of the
   * requests in flight, so that on shutdown it stops reading new frames but closes only once
   * every request it passed on has been answered (or the shutdown timeout cuts it).
   *
   * <p>A client's frame goes through stages, as a netty pipeline's handlers do, each small and in this
   * order ({@link #fromClient}): the frame is cut out of the stream ({@link FrameReader}), decoded
   * ({@link #decode}), its caller authenticated ({@link #authenticate}) and authorised for its address
   * ({@link #authorise}), then dispatched to the bridge under the connection's limits ({@link #dispatch}).
   * A stage that stops a frame answers the client itself.
   */
  private static final class Connection {
    private final NetSocket client;
    private final long maxFrame;
    private final int maxInFlight;
    private final FrameReader.Budget budget;
    private final Tokens tokens;
    private final FailedAttempts failures;
    private final String clientAddress;
    private final Runnable onClose;
    /** Set by {@link #start} once the bridge is reached; null until then. */
    private NetSocket upstream;
    private FrameReader reader;
    /** The client closed; a bridge connection made after that is closed at once. */
    private boolean gone;
    private int badFrames;
    /** Reply addresses of the requests passed on and not yet answered, with how many share each. */
    private final Map<String, Integer> inFlight = new HashMap<>();
    private int inFlightCount;
    private boolean draining;

    /** Holds the client (paused) until the bridge is reached, and counts its close from now on. */
    Connection(NetSocket client, long maxFrame, int maxInFlight, FrameReader.Budget budget, Tokens tokens,
               FailedAttempts failures, Runnable onClose) {
      this.client = client;
      this.maxFrame = maxFrame;
      this.maxInFlight = maxInFlight;
      this.budget = budget;
      this.tokens = tokens;
      this.failures = failures;
      this.clientAddress = client.remoteAddress() == null ? "?" : client.remoteAddress().hostAddress();
      this.onClose = onClose;
      client.pause();
      client.closeHandler(v -> clientClosed());
    }

    private void clientClosed() {
      gone = true;
      if (reader != null) {
        reader.release();
      }
      onClose.run();
      if (upstream != null) {
        upstream.close();
      }
    }

    void start(NetSocket upstream) {
      if (gone) {
        upstream.close(); // the client left while this connected
        return;
      }
      this.upstream = upstream;
      upstream.handler(new FrameReader(Long.MAX_VALUE, new FrameReader.Listener() {
        @Override
        public void frame(Buffer frame) {
          fromBridge(frame);
        }

        @Override
        public void tooLarge(long claimed) {
          // not reached: the inner bridge is trusted
        }
      }));
      reader = new FrameReader(maxFrame, new FrameReader.Listener() {
        @Override
        public void frame(Buffer frame) {
          fromClient(frame);
        }

        @Override
        public void tooLarge(long claimed) {
          client.write(errFrame(ErrorCode.TOO_LARGE.code, "frame of " + claimed + " bytes is over the limit of " + maxFrame + " bytes"))
              .onComplete(x -> client.close());
        }

        @Override
        public void overBudget(long held) {
          client.write(errFrame(ErrorCode.BUSY.code, "bridge busy: clients hold " + held + " bytes of unfinished frames"
              + " (bridge.maxBufferedBytes); send again later")).onComplete(x -> client.close());
        }
      }, budget);
      client.handler(reader);
      // Once for all: the front's own error frames fill this queue too, not only the bridge's answers.
      client.drainHandler(v -> {
        upstream.resume();
        resumeClient();
      });
      upstream.closeHandler(v -> client.close());
      client.shutdownHandler(v -> {
        draining = true;
        client.pause();
        closeWhenAnswered();
      });
      client.resume();
    }

    /** A whole frame from the client, through the stages. */
    private void fromClient(Buffer frame) {
      if (draining) {
        return; // shutting down: no new requests
      }
      Inbound in = decode(frame);
      if (in == null) {
        return;
      }
      Tokens.Identity caller = authenticate(in);
      if (caller != null && authorise(in, caller)) {
        dispatch(in);
      }
    }

    /**
     * Decode: a JSON object whose {@code replyAddress} and {@code headers} the front can handle (the bridge
     * would drop a frame with bad headers without a word), with its token taken out: a token goes no further
     * than this front, even one sent to a server that asks for none.
     *
     * @return the frame, or null when the client was told why not
     */
    private Inbound decode(Buffer frame) {
      JsonObject json;
      try {
        Object value = Json.decodeValue(frame.getBuffer(4, frame.length()));
        if (!(value instanceof JsonObject object)) {
          client.write(errFrame(ErrorCode.BAD_REQUEST.code, "a frame must hold a JSON object"));
          return null;
        }
        json = object;
      } catch (DecodeException e) {
        client.write(errFrame(ErrorCode.BAD_REQUEST.code, "malformed JSON: " + e.getMessage()));
        return null;
      }
      Object reply = json.getValue("replyAddress");
      if (reply != null && !(reply instanceof String r && REPLY_ADDRESS.matcher(r).matches())) {
        client.write(errFrame(ErrorCode.BAD_REQUEST.code, "replyAddress must be a string of 1 to 256 printable ASCII characters without"
            + " quotes or backslashes"));
        return null;
      }
      Object headers = json.getValue("headers");
      if (headers != null && !(headers instanceof JsonObject)) {
        client.write(errFrame(ErrorCode.BAD_REQUEST.code, "headers must be a JSON object"));
        return null;
      }
      String address = json.getString("address");
      String type = json.getString("type");
      Object authorization = headers == null ? null : ((JsonObject) headers).remove("authorization");
      return new Inbound(frame, json, type, address, (String) reply, authorization != null,
          authorization instanceof String a ? a : null);
    }

    /**
     * Authenticate: a send, publish or register must carry one of auth.tokens (401), from an address that
     * has not sent too many wrong ones lately (429). Other frames (ping, unregister), and every frame when
     * no token is asked for, are anyone's.
     *
     * @return who calls, or null when the client was told why not
     */
    private Tokens.Identity authenticate(Inbound in) {
      if (!tokens.required() || !in.needsToken()) {
        return Tokens.Identity.ANYONE;
      }
      long now = System.currentTimeMillis();
      long wait = failures.retryAfterMs(clientAddress, now);
      if (wait > 0) {
        refuse(in, ErrorCode.TOO_MANY_REQUESTS, "too many wrong tokens from " + clientAddress
            + "; try again in " + (wait + 999) / 1000 + " s");
        return null;
      }
      Tokens.Identity caller = tokens.identify(in.token());
      if (caller.verdict() == Tokens.Verdict.WRONG) {
        failures.failed(clientAddress, now);
        refuse(in, ErrorCode.UNAUTHORIZED, "the token is not one of auth.tokens");
        return null;
      }
      if (caller.verdict() == Tokens.Verdict.MISSING) {
        refuse(in, ErrorCode.UNAUTHORIZED, "send the token in headers.authorization as \"Bearer TOKEN\"");
        return null;
      }
      return caller;
    }

    /** Authorise: the caller's token may call the frame's address (403). */
    private boolean authorise(Inbound in, Tokens.Identity caller) {
      if (caller.may(in.address() == null ? "" : in.address())) {
        return true;
      }
      refuse(in, ErrorCode.FORBIDDEN, "this token may not call " + in.address());
      return false;
    }

    /**
     * A frame without a good token: its reply address (or the connection) hears why, and after
     * {@link #MAX_BAD_FRAMES} such frames the connection is closed.
     */
    private void refuse(Inbound in, ErrorCode code, String message) {
      Buffer err = failure(in.reply(), code, message);
      if (++badFrames >= MAX_BAD_FRAMES) {
        LOG.info("bridge: {} sent {} frames without a good token; closed", clientAddress, MAX_BAD_FRAMES);
        client.write(err).onComplete(x -> client.close());
      } else {
        client.write(err);
      }
    }

    /**
     * Dispatch: to the bridge, under the connection's limits. A request the bridge will answer counts
     * against bridge.maxInFlight until its answer comes back; a bridge that reads slower than the client
     * writes stops the client's reading until it has caught up.
     */
    private void dispatch(Inbound in) {
      // Only a send the bridge lets through gets an answer with its reply address; a refused one is answered
      // with an error that names none, so it is not waited for.
      if (in.reply() != null && "send".equals(in.type()) && in.address() != null && BridgePermissions.maySend(in.address())) {
        if (inFlightCount >= maxInFlight) {
          client.write(errFrame(ErrorCode.BUSY.code, maxInFlight
              + " requests on this connection are waiting for answers (bridge.maxInFlight); read them first"));
          return;
        }
        inFlight.merge(in.reply(), 1, Integer::sum);
        inFlightCount++;
      }
      upstream.write(in.forwarded());
      if (upstream.writeQueueFull()) {
        client.pause();
        upstream.drainHandler(v -> resumeClient());
      }
    }

    /** Reads the client again once neither its answers nor its requests are backed up. */
    private void resumeClient() {
      if (!draining && !upstream.writeQueueFull() && !client.writeQueueFull()) {
        client.resume();
      }
    }

    private void fromBridge(Buffer frame) {
      if (!inFlight.isEmpty()) {
        String address = topLevelAddress(frame);
        if (address != null && inFlight.containsKey(address)) {
          inFlight.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
          inFlightCount--;
        }
      }
      client.write(frame);
      if (client.writeQueueFull()) {
        // A client that does not read its answers: stop taking its requests too, or the bridge's own
        // (unbounded) write queue would hold their answers.
        upstream.pause();
        client.pause();
      }
      if (draining) {
        closeWhenAnswered();
      }
    }

    private void closeWhenAnswered() {
      if (inFlight.isEmpty()) {
        client.write(errFrame(ErrorCode.BUSY.code, "pixelbus is shutting down")).onComplete(x -> client.close());
      }
    }
  }

  /**
   * A client's frame once decoded: the bytes as they came, the JSON they hold (its token taken out of the
   * headers), what the front reads of it, and the token.
   *
   * @param reply      the reply address, checked by the decoder
   * @param tokenTaken the headers held an {@code authorization}, which is not passed on
   * @param token      its value when it was a string, else null
   */
  private record Inbound(Buffer frame, JsonObject json, String type, String address, String reply, boolean tokenTaken,
                         String token) {
    /** The types that reach the bus and so must carry a token when tokens are asked for. */
    boolean needsToken() {
      return "send".equals(type) || "publish".equals(type) || "register".equals(type);
    }

    /** What goes to the bridge: the bytes as they came, unless a token had to be taken out of them. */
    Buffer forwarded() {
      return tokenTaken ? frameOf(json) : frame;
    }
  }

  /**
   * The {@code address} of a frame from the bridge, read from its first bytes: the bridge writes
   * {@code type} then {@code address} first, so the body (an image of megabytes, say) is not parsed.
   */
  static String topLevelAddress(Buffer frame) {
    int end = Math.min(frame.length(), 4 + 512);
    String head = frame.getString(4, end, "UTF-8");
    Matcher m = ADDRESS.matcher(head);
    return m.find() ? m.group(1) : null;
  }

  private static final Pattern ADDRESS = Pattern.compile("\"address\"\\s*:\\s*\"([^\"\\\\]*)\"");

  /**
   * A refusal the client can match to its request: at its reply address as the bridge answers a
   * failed request, or with none (the form of the bridge's own {@code access_denied}).
   */
  static Buffer failure(String replyAddress, ErrorCode code, String message) {
    if (replyAddress == null) {
      return errFrame(code.code, message);
    }
    return frameOf(new JsonObject().put("type", "err").put("address", replyAddress).put("failureCode", code.code)
        .put("failureType", "RECIPIENT_FAILURE").put("message", message));
  }

  static Buffer frameOf(JsonObject json) {
    byte[] bytes = json.encode().getBytes(StandardCharsets.UTF_8);
    return Buffer.buffer(4 + bytes.length).appendInt(bytes.length).appendBytes(bytes);
  }

  static Buffer errFrame(int code, String message) {
    return frameOf(new JsonObject().put("type", "err").put("code", code).put("message", message));
  }

  private static int freeLoopbackPort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
