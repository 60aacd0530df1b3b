package dev.pixelbus.app.cli;

import dev.pixelbus.api.Addresses;
import dev.pixelbus.app.config.ConfigLoader;
import dev.pixelbus.fetch.Checksum;
import dev.pixelbus.fetch.FetchError;
import dev.pixelbus.fetch.FetchItem;
import dev.pixelbus.fetch.FetchRequest;
import dev.pixelbus.fetch.FetchSettings;
import dev.pixelbus.fetch.FetchVerticle;
import dev.pixelbus.fetch.InputFile;
import dev.pixelbus.fetch.JobOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The course's aiohttp client as a command: many URLs, streamed to files, a few at a time, with a
 * progress bar, a table per URL and "Took X seconds." at the end.
 */
@Command(name = "fetch", mixinStandardHelpOptions = true,
    description = "Download URLs concurrently, each body streamed to a file in the output folder.",
    footer = {"", "Examples:", "  pixelbus fetch -o pages https://www.python.org/ https://docs.python.org/3/library/asyncio.html",
        "  pixelbus fetch -c 100 -i urls.txt -o downloads",
        "", "A file is written as NAME.part and renamed to NAME only when the whole body arrived; an existing",
        "name gets a numeric suffix unless --overwrite is given.",
        "This command runs with your own rights: it fetches any host, loopback and private networks included, and",
        "writes wherever you can. The server's fetch (HTTP, the bridges, the event bus) refuses internal addresses",
        "unless fetch.allowHosts lets them, and writes only under fetch.outputRoot (docs/deploying.md).",
        "Exit code: 0 every URL saved, 1 some failed, 2 the job could not run (or its --json file could not be written)."})
public final class FetchCommand implements Callable<Integer> {
  @Parameters(arity = "0..*", description = "the URLs (http or https)")
  List<String> urls = new ArrayList<>();

  @Option(names = {"-o", "--output"}, defaultValue = "output", description = "folder to write into (default: ${DEFAULT-VALUE})")
  Path outDir;

  @Option(names = {"-c", "--concurrency"}, defaultValue = "16", description = "downloads at once (default: ${DEFAULT-VALUE})")
  int concurrency;

  @Option(names = {"-i", "--input"}, description = "read URLs from FILE (- for stdin): one per line, or aria2's input"
      + " format, each URL followed by indented out=NAME, checksum=sha-256=HEX and header=Name: value lines;"
      + " blank lines and # comments are skipped")
  String input;

  @Option(names = {"-H", "--header"}, description = "send this header with every request, 'Name: value' (repeatable)")
  List<String> headers = new ArrayList<>();

  @Option(names = "--checksum", paramLabel = "TYPE=HEX", description = "the digest the one URL's body must have"
      + " (sha-256, sha-1, sha-224, sha-384, sha-512, md5); a body that differs is not kept (code 412)")
  String checksum;

  @Option(names = "--overwrite", description = "replace existing files instead of adding a numeric suffix")
  boolean overwrite;

  @Option(names = {"-C", "--continue"}, description = "keep NAME.part of a download that stops, and next time ask only"
      + " for the rest (Range with If-Range); a server that sends it all again, or a changed file, starts it over")
  boolean resume;

  @Option(names = "--if-modified", description = "for a file already there, send If-None-Match / If-Modified-Since;"
      + " 304 leaves it (counted as done), a newer one replaces it")
  boolean ifModified;

  @Option(names = "--max-per-host", paramLabel = "N", defaultValue = "0", description = "downloads at once to one host"
      + " (default: no cap beyond -c, as curl)")
  int maxPerHost;

  @Option(names = "--limit-rate", paramLabel = "RATE", description = "bytes a second for the whole job, e.g. 500K or 2M")
  String limitRate;

  @Option(names = "--insecure", description = "do not verify TLS certificates or host names (like the course's ssl=False)")
  boolean insecure;

  @Option(names = "--max-size", description = "largest body per file, e.g. 500M or 2G (default: fetch.maxFileBytes, 4G)")
  String maxSize;

  @Option(names = "--json", description = "also write the full result as JSON to this file")
  Path json;

  @Option(names = "--no-table", description = "print only the failures and the totals, not a line per file")
  boolean noTable;

  @Override
  public Integer call() throws Exception {
    List<FetchItem> all = new ArrayList<>();
    try {
      Map<String, String> shared = new LinkedHashMap<>();
      for (String h : headers) {
        Map.Entry<String, String> header = FetchItem.parseHeader(h, "-H");
        shared.put(header.getKey(), header.getValue());
      }
      Checksum digest = checksum == null ? null : Checksum.parse(checksum);
      for (String url : urls) {
        all.add(new FetchItem(url, null, digest, shared));
      }
      if (input != null) {
        all.addAll(InputFile.parse(read(input), shared));
      }
      if (digest != null && all.size() != 1) {
        System.err.println("pixelbus fetch: --checksum is for one URL; give a list's digests in an input file"
            + " (checksum=TYPE=HEX under each URL)");
        return 2;
      }
    } catch (IOException e) {
      System.err.println("pixelbus fetch: cannot read " + input + ": " + e.getMessage());
      return 2;
    } catch (FetchError e) {
      System.err.println("pixelbus fetch: " + e.getMessage());
      return 2;
    }
    if (all.isEmpty()) {
      System.err.println("pixelbus fetch: no URLs (give them as arguments or with -i FILE)");
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    try {
      FetchSettings settings;
      long rate;
      try {
        FetchSettings configured = FetchSettings.from(ConfigLoader.load(vertx, new JsonObject()).await());
        settings = configured.forCommandLine(concurrency, insecure,
            maxSize == null ? configured.maxFileBytes() : parseSize(maxSize, "--max-size"), all.size());
        rate = limitRate == null ? 0L : parseSize(limitRate, "--limit-rate"); // checked before anything starts
      } catch (IllegalArgumentException e) {
        System.err.println("pixelbus fetch: " + e.getMessage());
        return 2;
      }
      if (insecure) {
        System.err.println("pixelbus fetch: warning: --insecure: TLS certificates and host names are NOT checked");
      }
      FetchVerticle fetcher = new FetchVerticle(settings, FetchVerticle.Destinations.UNGUARDED);
      vertx.deployVerticle(fetcher).await();
      // Ctrl+C (or SIGTERM) mid-job: no NAME.part is left behind for the downloads that will not finish.
      Thread cleanup = new Thread(() -> {
        int removed = fetcher.deletePartsInFlight();
        System.err.println(System.lineSeparator() + "pixelbus fetch: interrupted; " + (resume
            ? "unfinished .part files kept: run again with --continue to resume them"
            : removed + " unfinished .part file(s) removed"));
      }, "fetch-cleanup");
      Runtime.getRuntime().addShutdownHook(cleanup);
      AtomicReference<JsonObject> latest = new AtomicReference<>();
      vertx.eventBus().<JsonObject>consumer(Addresses.FETCH_PROGRESS, m -> latest.set(m.body())).completion().await();
      // The same typed request the server's jobs are parsed into; the verticle checks it as it checks theirs.
      FetchRequest request = new FetchRequest(all, outDir.toAbsolutePath().normalize().toString(),
          new JobOptions(overwrite, concurrency, maxPerHost, rate, resume, ifModified), null, true);
      Future<Message<JsonObject>> reply = vertx.eventBus()
          .request(Addresses.FETCH, request.toJson(), new DeliveryOptions().setSendTimeout(TimeUnit.DAYS.toMillis(7)));
      ProgressLine line = new ProgressLine(System.err, ProgressLine.isTerminal(), "fetch");
      while (!reply.isComplete()) {
        Thread.sleep(100);
        JsonObject p = latest.get();
        if (p != null) {
          line.draw(render(p, line.terminal()));
        }
      }
      line.end();
      Runtime.getRuntime().removeShutdownHook(cleanup);
      JsonObject result;
      try {
        result = reply.await().body();
      } catch (ReplyException e) {
        System.err.println("pixelbus fetch: " + e.failureCode() + " " + e.getMessage());
        return 2;
      }
      print(result, System.out, !noTable);
      if (json != null) {
        try {
          Files.writeString(json, result.encodePrettily());
        } catch (IOException e) {
          // The downloads are done and kept; only the report could not be written.
          System.err.println("pixelbus fetch: cannot write " + json + ": " + e);
          return 2;
        }
      }
      return result.getJsonArray("failed").isEmpty() ? 0 : 1;
    } finally {
      vertx.close().await();
    }
  }

  private static String read(String source) throws IOException {
    return source.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
        : Files.readString(Path.of(source), StandardCharsets.UTF_8);
  }

  /** "500M", "2G", "64k" or plain bytes. */
  static long parseSize(String text, String option) {
    String t = text.trim().toUpperCase(Locale.ROOT);
    long unit = 1;
    char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
    if (last == 'K' || last == 'M' || last == 'G' || last == 'T') {
      unit = 1L << (10 * ("KMGT".indexOf(last) + 1));
      t = t.substring(0, t.length() - 1);
    }
    try {
      long n = Long.parseLong(t);
      if (n <= 0) {
        throw new NumberFormatException();
      }
      return n * unit;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + ": not a size: " + text + " (e.g. 500K, 2M, 2G)");
    }
  }

  /** "fetch: [####----]  40% 400/1000 files, 2 failed, 12.5 MB, 31.2 MB/s" */
  static String render(JsonObject p, boolean bar) {
    long total = p.getLong("total");
    long done = p.getLong("done");
    double seconds = p.getDouble("seconds");
    double mb = p.getLong("bytes") / 1e6;
    return "fetch: " + (bar ? ProgressLine.bar(done, total) : "") + done + "/" + total + " files, "
        + p.getLong("failed") + " failed, " + String.format(Locale.ROOT, "%.1f MB, %.1f MB/s", mb,
        seconds > 0 ? mb / seconds : 0) + (bar ? "   " : "");
  }

  /** The table per URL, the failures, the totals, and the course's last line. */
  static void print(JsonObject result, PrintStream out, boolean table) {
    JsonArray files = result.getJsonArray("files");
    JsonArray failed = result.getJsonArray("failed");
    if (table) {
      for (Object o : files) {
        JsonObject f = (JsonObject) o;
        out.printf(Locale.ROOT, "%3d  %12d B  %9.1f ms  %s  <- %s%n", f.getInteger("status"), f.getLong("bytes"),
            f.getDouble("millis"), f.getString("file"), f.getString("url"));
      }
    }
    for (Object o : failed) {
      JsonObject f = (JsonObject) o;
      out.printf(Locale.ROOT, "%3d  FAILED  %9.1f ms  %s: %s%n", f.getInteger("code"), f.getDouble("millis"),
          f.getString("url"), f.getString("message"));
    }
    double seconds = result.getDouble("seconds");
    long bytes = result.getLong("bytes");
    out.printf(Locale.ROOT, "files: %d, failed: %d, bytes: %d (%.1f MB/s), concurrency: %d%n", files.size(),
        failed.size(), bytes, seconds > 0 ? bytes / 1e6 / seconds : 0, result.getInteger("concurrency"));
    out.printf(Locale.ROOT, "Took %.3f seconds.%n", seconds);
  }
}
