package dev.pixelbus.bench.echo;

import java.nio.charset.StandardCharsets;

/**
 * Checks the bytes that come back on one connection against the lines it sent, in order, however
 * the reads split or join the replies. Line k of connection i is {@code c<i>-<k>\r\n}.
 *
 * <p>{@link Framing#LINE} (pixelbus): every reply is exactly {@code Echoed back: c<i>-<k>\r\n}.
 * {@link Framing#PER_READ} (the course's asyncio server, which echoes whatever one read returned
 * behind one prefix): the bytes are the lines sent, in order, with {@code Echoed back: } inserted
 * before any of them or even inside one; the stream must start with it. Each completed prefix is
 * counted as one server reply ({@link #prefixes}).
 *
 * <p>A byte that does not fit makes the reply wrong: the rest of it, up to its {@code \n}, is
 * skipped and reported as one mismatch of line k, and checking goes on with line k + 1.
 */
public final class ReplyChecker {
  public enum Framing { LINE, PER_READ }

  /** What the checker found, one call per reply. */
  public interface Listener {
    void reply(long k);

    void mismatch(long k, String expected, String got);
  }

  /** Where the bytes come from: a Vert.x Buffer's getByte, or a byte[] in tests. */
  @FunctionalInterface
  public interface Bytes {
    byte at(int i);
  }

  static final byte[] PREFIX = "Echoed back: ".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_DETAIL = 80;

  private final byte[] id;
  private final Framing framing;
  private long k;
  private byte[] line;
  private int linePos;
  private int prefixPos;
  private boolean prefixed;
  private long prefixes;
  private StringBuilder skipped;

  public ReplyChecker(int connection, Framing framing) {
    this.id = ("c" + connection + "-").getBytes(StandardCharsets.US_ASCII);
    this.framing = framing;
    this.line = line(id, 0);
  }

  /** Line k of the connection whose id is {@code c<i>-}, CRLF included. */
  public static byte[] line(byte[] id, long k) {
    String digits = Long.toString(k);
    byte[] b = new byte[id.length + digits.length() + 2];
    System.arraycopy(id, 0, b, 0, id.length);
    for (int j = 0; j < digits.length(); j++) {
      b[id.length + j] = (byte) digits.charAt(j);
    }
    b[b.length - 2] = '\r';
    b[b.length - 1] = '\n';
    return b;
  }

  public static byte[] line(int connection, long k) {
    return line(("c" + connection + "-").getBytes(StandardCharsets.US_ASCII), k);
  }

  /** The next line number expected, i.e. the number of replies checked so far, good or bad. */
  public long expected() {
    return k;
  }

  /** The number of complete {@code Echoed back: } prefixes seen: the server's replies. */
  public long prefixes() {
    return prefixes;
  }

  /** True when a reply has been started but not finished (a connection closing now cut it). */
  public boolean partial() {
    return linePos > 0 || prefixPos > 0 || skipped != null;
  }

  public void feed(byte[] data, Listener listener) {
    feed(i -> data[i], data.length, listener);
  }

  public void feed(Bytes data, int length, Listener listener) {
    for (int i = 0; i < length; i++) {
      byte b = data.at(i);
      if (skipped != null) {
        if (b == '\n') {
          endMismatch(listener);
        } else if (skipped.length() < MAX_DETAIL) {
          skipped.append(printable(b));
        }
        continue;
      }
      if (prefixPos > 0) {
        if (b == PREFIX[prefixPos]) {
          if (++prefixPos == PREFIX.length) {
            prefixPos = 0;
            prefixed = true;
            prefixes++;
          }
        } else {
          startMismatch(new String(PREFIX, 0, prefixPos, StandardCharsets.US_ASCII), b, listener);
        }
        continue;
      }
      boolean allowed = framing == Framing.PER_READ || (linePos == 0 && !prefixed);
      boolean required = framing == Framing.LINE ? linePos == 0 && !prefixed : prefixes == 0;
      if (b == PREFIX[0] && allowed) {
        prefixPos = 1;
        continue;
      }
      if (!required && b == line[linePos]) {
        if (++linePos == line.length) {
          long done = k;
          next();
          listener.reply(done);
        }
        continue;
      }
      startMismatch((prefixed && framing == Framing.LINE ? "Echoed back: " : "")
          + new String(line, 0, linePos, StandardCharsets.US_ASCII), b, listener);
    }
  }

  private void startMismatch(String matched, byte b, Listener listener) {
    skipped = new StringBuilder(matched.replace("\r", "\\r"));
    if (b == '\n') {
      endMismatch(listener);
    } else {
      skipped.append(printable(b));
    }
  }

  private void endMismatch(Listener listener) {
    String got = skipped.append("\\n").toString();
    String expected = (framing == Framing.LINE ? "Echoed back: " : "")
        + new String(line, StandardCharsets.US_ASCII).replace("\r", "\\r").replace("\n", "\\n");
    long bad = k;
    skipped = null;
    prefixPos = 0;
    next();
    listener.mismatch(bad, expected, got);
  }

  private void next() {
    k++;
    linePos = 0;
    if (framing == Framing.LINE) {
      prefixed = false;
    }
    line = line(id, k);
  }

  private static String printable(byte b) {
    if (b == '\r') {
      return "\\r";
    }
    return b >= 32 && b < 127 ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff);
  }
}
