package dev.pixelbus.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The server as a user starts it, in a process of its own (this test's class path), its log in a file. */
final class ServerProcess implements AutoCloseable {
  final Process process;
  final Path log;

  private ServerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code pixelbus ARGS...}; the log goes to {@code log}. */
  static ServerProcess start(Path log, String... args) throws IOException {
    return start(log, Map.of(), args);
  }

  /** Starts {@code pixelbus ARGS...} with these environment variables added to this process's. */
  static ServerProcess start(Path log, Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "dev.pixelbus.app.Main"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    return new ServerProcess(builder.start(), log);
  }

  /** Starts the server and waits for its ready line. */
  static ServerProcess ready(Path log, String... args) throws Exception {
    return ready(log, Map.of(), args);
  }

  static ServerProcess ready(Path log, Map<String, String> env, String... args) throws Exception {
    ServerProcess server = start(log, env, args);
    for (int i = 0; i < 300 && !server.log().contains("pixelbus ready") && server.process.isAlive(); i++) {
      Thread.sleep(100);
    }
    assertTrue(server.log().contains("pixelbus ready"), server.log());
    return server;
  }

  String log() throws IOException {
    return Files.readString(log);
  }

  /** SIGTERM, and the exit code. */
  int stop() throws Exception {
    process.destroy();
    return exitCode();
  }

  /** The exit code, once the process has ended (within 30 s). */
  int exitCode() throws Exception {
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "exited");
    return process.exitValue();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
