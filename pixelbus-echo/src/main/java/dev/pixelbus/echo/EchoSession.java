package dev.pixelbus.echo;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The echo protocol of one connection, without any I/O: bytes in, reply bytes out. Lines end in LF
 * or CRLF and come back as {@code Echoed back: <line>\r\n}, byte for byte.
 *
 * <p>With {@code telnet} on, the input is a Telnet NVT stream (RFC 854/855): option requests are
 * refused (DO → WONT, WILL → DONT; WONT and DONT need no answer, so negotiation cannot loop),
 * subnegotiations are skipped, IAC IAC is a data byte 255, CR NUL is a bare CR, and 255 in a reply
 * is sent as IAC IAC. So any byte string round-trips for a client that speaks Telnet's escaping.
 * With it off, every byte is data.
 *
 * <p>A line holds at most {@code maxLineBytes}; the buffer grows on demand up to that, so an idle
 * connection costs no line buffer at all.
 */
public final class EchoSession {
  /** What the connection should do after a {@link #feed}. */
  public enum Outcome {
    /** keep reading */
    CONTINUE,
    /** the client asked to leave (quit, exit, Ctrl-D, EOF, Telnet IP); a goodbye line was written */
    GOODBYE,
    /** a line or subnegotiation went over the limit; an error line was written */
    TOO_LONG,
    /** the session's last reply (close after reply) was written */
    LAST_REPLY
  }

  /** Reply bytes waiting to be written, and the counts of one {@link #feed}. */
  public static final class Output {
    private static final int INITIAL = 256;
    /** Past this, the array goes back to {@link #INITIAL} at the next feed: one burst must not cost a connection for life. */
    private static final int KEEP = 16 * 1024;
    private byte[] bytes = new byte[INITIAL];
    private int length;
    private int lines;
    private long lineBytes;

    public byte[] bytes() {
      return bytes;
    }

    public int length() {
      return length;
    }

    /** Lines echoed by the last {@link #feed}. */
    public int lines() {
      return lines;
    }

    /** Bytes of those lines, without their line ends. */
    public long lineBytes() {
      return lineBytes;
    }

    void reset() {
      if (bytes.length > KEEP) {
        bytes = new byte[INITIAL];
      }
      length = 0;
      lines = 0;
      lineBytes = 0;
    }

    void add(byte b) {
      if (length == bytes.length) {
        bytes = Arrays.copyOf(bytes, bytes.length * 2);
      }
      bytes[length++] = b;
    }

    void add(byte[] b, int off, int len) {
      if (length + len > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + len));
      }
      System.arraycopy(b, off, bytes, length, len);
      length += len;
    }
  }

  /** Sees each line before it is echoed (for logging). */
  @FunctionalInterface
  public interface LineListener {
    void line(byte[] bytes, int length);
  }

  static final byte IAC = (byte) 255;
  static final byte DONT = (byte) 254;
  static final byte DO = (byte) 253;
  static final byte WONT = (byte) 252;
  static final byte WILL = (byte) 251;
  static final byte SB = (byte) 250;
  static final byte EL = (byte) 248;
  static final byte EC = (byte) 247;
  static final byte AYT = (byte) 246;
  static final byte IP = (byte) 244;
  static final byte SE = (byte) 240;
  static final byte EOF = (byte) 236;
  private static final byte CTRL_D = 4;

  static final byte[] PREFIX = ascii("Echoed back: ");
  static final byte[] CRLF = ascii("\r\n");
  static final byte[] GOODBYE = ascii("Goodbye.\r\n");
  static final byte[] ARE_YOU_THERE = ascii("[pixelbus echo: yes]\r\n");

  private enum State { DATA, CR, IAC, OPTION, SB, SB_IAC }

  private final int maxLineBytes;
  private final boolean telnet;
  private final LineListener listener;
  private final Output out = new Output();
  private State state = State.DATA;
  private byte option;
  private byte[] line;
  private int lineLength;
  private int subnegotiation;
  private long repliesLeft;
  private boolean leaving;

  public EchoSession(int maxLineBytes, boolean telnet, LineListener listener) {
    this(maxLineBytes, telnet, listener, Long.MAX_VALUE);
  }

  /** @param maxReplies replies before the session ends with LAST_REPLY (1 for the course's close-after-reply) */
  public EchoSession(int maxLineBytes, boolean telnet, LineListener listener, long maxReplies) {
    this.maxLineBytes = maxLineBytes;
    this.telnet = telnet;
    this.listener = listener;
    this.repliesLeft = maxReplies;
  }

  /**
   * Consumes {@code length} bytes. The replies are in {@link #output()} until the next call. After
   * an outcome other than CONTINUE the session is over and must not be fed again.
   */
  public Outcome feed(byte[] in, int length) {
    return feed(in, 0, length);
  }

  /** Consumes {@code in[offset .. offset + length)}; see {@link #feed(byte[], int)}. */
  public Outcome feed(byte[] in, int offset, int length) {
    out.reset();
    for (int i = offset, end = offset + length; i < end; i++) {
      Outcome outcome = telnet ? telnetByte(in[i]) : dataByte(in[i]);
      if (outcome != Outcome.CONTINUE) {
        return outcome;
      }
    }
    return leaving ? goodbye() : Outcome.CONTINUE;
  }

  /** The client closed its side: a partial line is echoed as if it had ended, then goodbye. */
  public Outcome endOfInput() {
    out.reset();
    if (state == State.CR) {
      append((byte) '\r');
    }
    if (lineLength > 0 && endLine() == Outcome.LAST_REPLY) {
      return Outcome.LAST_REPLY;
    }
    return goodbye();
  }

  public Output output() {
    return out;
  }

  /** True while a partial line is buffered: the client is mid-line. */
  public boolean midLine() {
    return lineLength > 0;
  }

  private Outcome telnetByte(byte b) {
    if (leaving && state == State.DATA && b != IAC) {
      return Outcome.CONTINUE;
    }
    switch (state) {
      case DATA:
        if (b == IAC) {
          state = State.IAC;
          return Outcome.CONTINUE;
        }
        return dataByte(b);
      case CR:
        state = State.DATA;
        if (b == 0) {
          return append((byte) '\r');
        }
        if (b != '\n') {
          Outcome crOutcome = append((byte) '\r');
          return crOutcome != Outcome.CONTINUE ? crOutcome : telnetByte(b);
        }
        return endLine();
      case IAC:
        state = State.DATA;
        return command(b);
      case OPTION:
        state = State.DATA;
        negotiate(option, b);
        return Outcome.CONTINUE;
      case SB:
        if (b == IAC) {
          state = State.SB_IAC;
        }
        return ++subnegotiation > maxLineBytes ? tooLong() : Outcome.CONTINUE;
      case SB_IAC:
        state = b == SE ? State.DATA : State.SB;
        return Outcome.CONTINUE;
      default:
        throw new IllegalStateException(state.name());
    }
  }

  private Outcome dataByte(byte b) {
    if (b == '\n') {
      return endLine();
    }
    if (b == '\r' && telnet) {
      state = State.CR;
      return Outcome.CONTINUE;
    }
    if (b == CTRL_D && lineLength == 0) {
      return goodbye();
    }
    return append(b);
  }

  private Outcome command(byte b) {
    switch (b) {
      case IAC:
        return append(IAC);
      case WILL, WONT, DO, DONT:
        option = b;
        state = State.OPTION;
        return Outcome.CONTINUE;
      case SB:
        subnegotiation = 0;
        state = State.SB;
        return Outcome.CONTINUE;
      case IP, EOF:
        // Answer the rest of the packet first: telnet follows IP with DO TIMING-MARK and discards
        // what it receives until that is answered, which would swallow the goodbye.
        leaving = true;
        return Outcome.CONTINUE;
      case AYT:
        out.add(ARE_YOU_THERE, 0, ARE_YOU_THERE.length);
        return Outcome.CONTINUE;
      case EC:
        lineLength = Math.max(0, lineLength - 1);
        return Outcome.CONTINUE;
      case EL:
        lineLength = 0;
        return Outcome.CONTINUE;
      default:
        // NOP, DM, BRK, AO, GA and the rest change nothing for a line echo.
        return Outcome.CONTINUE;
    }
  }

  /** We offer and accept no option; only a request to enter a mode needs an answer (RFC 854). */
  private void negotiate(byte verb, byte opt) {
    if (verb == DO) {
      out.add(IAC);
      out.add(WONT);
      out.add(opt);
    } else if (verb == WILL) {
      out.add(IAC);
      out.add(DONT);
      out.add(opt);
    }
  }

  private Outcome append(byte b) {
    if (lineLength == maxLineBytes) {
      return tooLong();
    }
    if (line == null || lineLength == line.length) {
      line = line == null ? new byte[Math.min(128, maxLineBytes)] : Arrays.copyOf(line, Math.min(line.length * 2, maxLineBytes));
    }
    line[lineLength++] = b;
    return Outcome.CONTINUE;
  }

  private Outcome endLine() {
    int n = lineLength;
    if (n > 0 && !telnet && line[n - 1] == '\r') {
      n--;
    }
    lineLength = 0;
    if (isCommand(n, "quit") || isCommand(n, "exit")) {
      return goodbye();
    }
    if (listener != null) {
      listener.line(line == null ? new byte[0] : line, n);
    }
    out.add(PREFIX, 0, PREFIX.length);
    for (int i = 0; i < n; i++) {
      byte b = line[i];
      out.add(b);
      if (b == IAC && telnet) {
        out.add(IAC);
      }
    }
    out.add(CRLF, 0, CRLF.length);
    out.lines++;
    out.lineBytes += n;
    // A long line's buffer is not kept: it would cost every idle connection that once sent one.
    if (line != null && line.length > 1024) {
      line = null;
    }
    return --repliesLeft == 0 ? Outcome.LAST_REPLY : Outcome.CONTINUE;
  }

  private boolean isCommand(int n, String word) {
    int start = 0;
    int end = n;
    while (start < end && (line[start] == ' ' || line[start] == '\t')) {
      start++;
    }
    while (end > start && (line[end - 1] == ' ' || line[end - 1] == '\t')) {
      end--;
    }
    if (end - start != word.length()) {
      return false;
    }
    for (int i = 0; i < word.length(); i++) {
      if (Character.toLowerCase((char) line[start + i]) != word.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private Outcome goodbye() {
    out.add(GOODBYE, 0, GOODBYE.length);
    return Outcome.GOODBYE;
  }

  private Outcome tooLong() {
    byte[] message = ascii("error: line longer than " + maxLineBytes + " bytes; closing\r\n");
    out.add(message, 0, message.length);
    return Outcome.TOO_LONG;
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
