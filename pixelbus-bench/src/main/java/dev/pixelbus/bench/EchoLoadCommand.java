package dev.pixelbus.bench;

import dev.pixelbus.bench.echo.EchoLoad;
import dev.pixelbus.bench.echo.LoadResult;
import dev.pixelbus.bench.echo.LoadSettings;
import dev.pixelbus.bench.echo.ReplyChecker;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** The echo benchmark's load generator: C connections, D lines in flight on each, every reply checked. */
@Command(name = "echo-load", mixinStandardHelpOptions = true,
    description = {"Load a line echo server: C connections, D lines in flight on each.",
        "Line k of connection i is c<i>-<k>\\r\\n; its reply must be exactly",
        "Echoed back: c<i>-<k>\\r\\n, in order. Reports replies/s, latency p50/p99/max",
        "(µs, log-linear histogram, within 1.6 %%), errors and, with --server-pid,",
        "the server's CPU time per reply (utime + stime from /proc/PID/stat)."},
    footer = {"", "Exit status: 0 if every connection connected and every reply was right, 1 otherwise, 2 on bad usage.",
        "Examples: pixelbus echo-load 127.0.0.1 8888 -c 100 -d 1 --server-pid 1234 --json",
        "          pixelbus echo-load 127.0.0.1 8888 -c 10000 --idle 15   (then a line each)"})
public final class EchoLoadCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "the server's host")
  String host;

  @Parameters(index = "1", description = "the server's port")
  int port;

  @Option(names = {"-c", "--connections"}, paramLabel = "C", defaultValue = "100", description = "connections (default: ${DEFAULT-VALUE})")
  int connections;

  @Option(names = {"-d", "--depth"}, paramLabel = "D", defaultValue = "1", description = "lines in flight per connection (default: ${DEFAULT-VALUE})")
  int depth;

  @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "3", description = "seconds of load before the measured period (default: ${DEFAULT-VALUE})")
  double warmup;

  @Option(names = "--seconds", paramLabel = "SECONDS", defaultValue = "10", description = "the measured period in seconds (default: ${DEFAULT-VALUE})")
  double seconds;

  @Option(names = "--server-pid", paramLabel = "PID", description = "the server's process id: its CPU time per reply is reported")
  String serverPid;

  @Option(names = "--json", description = "also print one JSON object line (last line of stdout)")
  boolean json;

  @Option(names = "--idle", paramLabel = "SECONDS", description = "scale mode: open the connections, hold them idle this long, then echo one line on each")
  Integer idle;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "client event loops (default: ${DEFAULT-VALUE})")
  int threads;

  @Option(names = "--connect-concurrency", paramLabel = "N", defaultValue = "200", description = "connects in flight at most (default: ${DEFAULT-VALUE})")
  int connectConcurrency;

  @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "30", description = "seconds per connect (default: ${DEFAULT-VALUE})")
  int connectTimeout;

  @Option(names = "--reply-timeout", paramLabel = "SECONDS", defaultValue = "30", description = "idle mode: seconds to wait for the replies (default: ${DEFAULT-VALUE})")
  double replyTimeout;

  @Option(names = "--per-read", description = "accept the course's asyncio server's framing: one 'Echoed back: ' per"
      + " read it made, so lines that arrived together come back joined (every line is still checked, in order)")
  boolean perRead;

  @Override
  public Integer call() throws Exception {
    LoadSettings s;
    try {
      s = new LoadSettings(host, port, connections, depth, warmup, seconds, threads, connectConcurrency,
          connectTimeout * 1000, perRead ? ReplyChecker.Framing.PER_READ : ReplyChecker.Framing.LINE, serverPid,
          idle == null ? -1 : idle, replyTimeout);
    } catch (IllegalArgumentException e) {
      System.err.println("pixelbus echo-load: " + e.getMessage());
      return 2;
    }
    LoadResult r = EchoLoad.run(s, System.err);
    System.out.print(r.summary());
    if (json) {
      System.out.println(r.toJson().encode());
    }
    System.out.flush();
    return r.ok() ? 0 : 1;
  }

  /** Runs without Main's subcommand list: java -cp pixelbus.jar dev.pixelbus.bench.EchoLoadCommand HOST PORT ... */
  public static void main(String[] args) {
    System.exit(new CommandLine(new EchoLoadCommand()).execute(args));
  }
}
