package dev.pixelbus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs one-shot commands as a user would, and finds ports nothing listens on. */
public final class TestCli {
  /** A command's exit code and what it printed on stdout. */
  public record Result(int code, String out) {
  }

  private TestCli() {
  }

  public static Result run(Object command, String... args) {
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      int code = new CommandLine(command).execute(args);
      return new Result(code, captured.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
    }
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
