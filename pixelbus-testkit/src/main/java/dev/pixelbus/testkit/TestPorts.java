package dev.pixelbus.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Ports for tests. */
public final class TestPorts {
  private TestPorts() {
  }

  /** A port on 127.0.0.1 that was free a moment ago (for "nothing listens there" and child processes). */
  public static int unusedPort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
