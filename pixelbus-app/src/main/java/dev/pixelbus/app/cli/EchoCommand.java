package dev.pixelbus.app.cli;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The echo client (the course's question 5): sends each MESSAGE, or each line of stdin, as a line,
 * prints every line the server sends back, and exits when every line has its reply.
 */
@Command(name = "echo", mixinStandardHelpOptions = true,
    description = "Send lines to a line echo server and print its replies.",
    footer = {"", "Examples:", "  pixelbus echo 127.0.0.1 8888 hello 'second line'",
        "  seq 1 1000 | pixelbus echo 127.0.0.1 8888",
        "", "Exit code: 0 every line answered, 1 the server closed or went quiet first, 2 no connection."})
public final class EchoCommand implements Callable<Integer> {
  private static final byte[] REPLY_PREFIX = "Echoed back: ".getBytes(StandardCharsets.US_ASCII);
  /** Lines sent ahead of their replies: enough to fill the pipe, few enough to bound memory. */
  private static final int WINDOW = 64;

  @Parameters(index = "0", description = "server host")
  String host;

  @Parameters(index = "1", description = "server port")
  int port;

  @Parameters(index = "2..*", arity = "0..*", description = "the lines to send (default: the lines of stdin)")
  List<String> messages;

  @Option(names = "--timeout", defaultValue = "10", description = "seconds to wait for a reply (default: ${DEFAULT-VALUE})")
  double timeoutSeconds;

  @Option(names = "--max-line", defaultValue = "1048576", description = "longest reply line accepted, in bytes")
  int maxLine;

  private final InputStream stdin;
  private final PrintStream stdout;

  public EchoCommand() {
    this(System.in, System.out);
  }

  /** For callers that give their own streams (tests, an embedding program). */
  public EchoCommand(InputStream stdin, PrintStream stdout) {
    this.stdin = stdin;
    this.stdout = stdout;
  }

  @Override
  public Integer call() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      NetSocket socket;
      try {
        // Connect from an event-loop context, so that the handlers go on in the connect's own task, before
        // any data is delivered: a greeting sent at once is not lost. (From this thread, a connect that
        // completed before map() was called would attach them here, too late.)
        Promise<NetSocket> connected = Promise.promise();
        vertx.getOrCreateContext().runOnContext(v ->
            vertx.createNetClient(new NetClientOptions().setConnectTimeout(5000)).connect(port, host)
                .map(this::attach).onComplete(connected));
        socket = connected.future().await();
      } catch (Exception e) {
        System.err.println("pixelbus echo: cannot connect to " + host + ":" + port + ": " + e.getMessage());
        return 2;
      }
      return converse(socket);
    } finally {
      vertx.close().await();
    }
  }

  private final Semaphore window = new Semaphore(WINDOW);
  private final AtomicInteger replies = new AtomicInteger();
  private final AtomicLong lastHeard = new AtomicLong(System.nanoTime());
  private final CountDownLatch closed = new CountDownLatch(1);

  private NetSocket attach(NetSocket socket) {
    RecordParser lines = RecordParser.newDelimited("\n", line -> {
      byte[] text = unescape(line.getBytes());
      synchronized (stdout) {
        stdout.write(text, 0, text.length);
        stdout.write('\n');
      }
      lastHeard.set(System.nanoTime());
      if (startsWith(text, REPLY_PREFIX)) {
        replies.incrementAndGet();
        window.release();
      }
    }).maxRecordSize(maxLine);
    lines.exceptionHandler(e -> {
      System.err.println("pixelbus echo: " + e.getMessage());
      socket.close();
    });
    socket.handler(lines);
    socket.closeHandler(v -> {
      closed.countDown();
      window.release(WINDOW);
    });
    return socket;
  }

  private int converse(NetSocket socket) throws IOException, InterruptedException {

    long timeout = (long) (timeoutSeconds * 1e9);
    int sent = 0;
    boolean quit = false;
    BlockingQueue<byte[]> input = input();
    while (closed.getCount() > 0) {
      byte[] line = input.poll(100, TimeUnit.MILLISECONDS);
      if (line == null) {
        continue; // nothing typed yet: no timeout while the user thinks, but a close ends the wait
      }
      if (line == END) {
        break;
      }
      if (isQuit(line)) {
        // The server answers quit with a goodbye and closes: no echo to wait for.
        socket.write(Buffer.buffer(line).appendByte((byte) '\n'));
        quit = true;
        break;
      }
      while (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
        if (System.nanoTime() - lastHeard.get() > timeout) {
          return quiet(sent, replies.get());
        }
      }
      Buffer out = Buffer.buffer(line.length + 2);
      for (byte b : line) {
        out.appendByte(b);
        if (b == (byte) 0xFF) {
          out.appendByte(b); // Telnet's escape for a data byte 255
        }
      }
      socket.write(out.appendByte((byte) '\n'));
      lastHeard.set(System.nanoTime());
      sent++;
    }
    // After quit, wait for the goodbye and the close too; otherwise for every reply.
    while ((replies.get() < sent || quit) && closed.getCount() > 0) {
      if (System.nanoTime() - lastHeard.get() > timeout) {
        return quiet(sent, replies.get());
      }
      closed.await(50, TimeUnit.MILLISECONDS);
    }
    stdout.flush();
    if (replies.get() < sent) {
      System.err.println("pixelbus echo: the server closed the connection after " + replies.get() + " of " + sent + " replies");
      return 1;
    }
    socket.close().await();
    return 0;
  }

  private int quiet(int sent, int replies) {
    stdout.flush();
    System.err.printf("pixelbus echo: no reply for %.1f s (%d of %d lines answered)%n", timeoutSeconds, replies, sent);
    return 1;
  }

  /** Marks the end of the input in {@link #input()}'s queue. */
  private static final byte[] END = new byte[0];

  /**
   * The lines to send, as they come. stdin is read on a thread of its own, a line at a time: a line
   * typed at a terminal goes out when Enter is pressed (not when the next one is), and a server that
   * hangs up ends the client even while stdin has nothing to say.
   */
  private BlockingQueue<byte[]> input() {
    BlockingQueue<byte[]> lines = new ArrayBlockingQueue<>(WINDOW);
    if (messages != null && !messages.isEmpty()) {
      BlockingQueue<byte[]> all = new LinkedBlockingQueue<>();
      messages.forEach(m -> all.add(m.getBytes(StandardCharsets.UTF_8)));
      all.add(END);
      return all;
    }
    Thread reader = new Thread(() -> {
      InputStream in = new BufferedInputStream(stdin);
      try {
        while (true) {
          ByteArrayOutputStream line = new ByteArrayOutputStream();
          int b;
          while ((b = in.read()) != -1 && b != '\n') {
            line.write(b);
          }
          if (b == -1 && line.size() == 0) {
            break;
          }
          lines.put(line.toByteArray());
          if (b == -1) {
            break;
          }
        }
      } catch (IOException e) {
        System.err.println("pixelbus echo: cannot read stdin: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      try {
        lines.put(END);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "echo-stdin");
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  private static boolean isQuit(byte[] line) {
    String s = new String(line, StandardCharsets.ISO_8859_1).trim();
    return s.equalsIgnoreCase("quit") || s.equalsIgnoreCase("exit");
  }

  /** Drops the CR of CRLF and undoes Telnet's IAC IAC. */
  static byte[] unescape(byte[] line) {
    int n = line.length > 0 && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
    ByteArrayOutputStream out = new ByteArrayOutputStream(n);
    for (int i = 0; i < n; i++) {
      out.write(line[i]);
      if (line[i] == (byte) 0xFF && i + 1 < n && line[i + 1] == (byte) 0xFF) {
        i++;
      }
    }
    return out.toByteArray();
  }

  private static boolean startsWith(byte[] text, byte[] prefix) {
    if (text.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (text[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
