package dev.pixelbus.testkit;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs one-shot commands as a user would: a picocli command with its arguments, stdout and stderr captured. */
public final class TestCli {
  /** A command's exit code and what it printed on stdout and stderr. */
  public record Result(int code, String out, String err) {
  }

  private TestCli() {
  }

  public static Result run(Object command, String... args) {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
      int code = new CommandLine(command).execute(args);
      return new Result(code, captured.toString(StandardCharsets.UTF_8), errors.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }

}
