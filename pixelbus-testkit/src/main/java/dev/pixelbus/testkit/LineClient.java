package dev.pixelbus.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/** A blocking line client on 127.0.0.1, as telnet would be: for the echo server's tests. */
public final class LineClient implements AutoCloseable {
  public final Socket socket;
  public final InputStream in;
  public final OutputStream out;

  public LineClient(int port) throws IOException {
    this("127.0.0.1", port);
  }

  public LineClient(String host, int port) throws IOException {
    socket = new Socket(host, port);
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  public LineClient send(String ascii) throws IOException {
    return send(ascii.getBytes(StandardCharsets.ISO_8859_1));
  }

  public LineClient send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** One line, with its CRLF, as text in ISO-8859-1 (one char per byte). */
  public String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      line.write(b);
      if (b == '\n') {
        break;
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  public boolean closedByServer() throws IOException {
    try {
      return in.read() == -1;
    } catch (SocketException e) {
      return true; // reset: closed too
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
