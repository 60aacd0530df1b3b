package dev.pixelbus.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelbus.app.Main;
import dev.pixelbus.testkit.TestCli;
import dev.pixelbus.testkit.TestImages;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The benchmark commands, run as a user runs them, on real folders. */
class BenchCommandTest {
  @TempDir
  Path tmp;

  /** The app names none of these commands: they reach its command line through META-INF/services alone. */
  @Test
  void theAppsCommandLineListsTheBenchCommands() {
    CommandLine line = Main.commandLine();
    for (String name : List.of("bench", "bench-calls", "echo-load", "ops-loop", "ops-time")) {
      assertTrue(line.getSubcommands().containsKey(name), name + " in " + line.getSubcommands().keySet());
    }
    assertTrue(line.getSubcommands().containsKey("batch"), "and the app's own");
    assertTrue(line.getUsageMessage().contains("ops-time"), "and the help lists them");
  }

  @Test
  void benchWritesItsTableJsonAndChart() throws Exception {
    Path in = tmp.resolve("in");
    for (int i = 0; i < 12; i++) {
      Files.write(Files.createDirectories(in).resolve("s" + i + ".png"), TestImages.bytes(TestImages.SHAPES_PNG));
    }
    Path results = tmp.resolve("results");
    TestCli.Result r = TestCli.run(new BenchCommand(), in.toString(), "--workers", "1,2", "--repeat", "1", "--warmup", "0.2",
        "--results", results.toString());
    assertEquals(0, r.code(), r.out());
    String out = r.out();
    assertTrue(out.contains("worker(s)."), out);
    assertTrue(out.matches("(?s).*Took \\d+\\.\\d{4} seconds with 2 worker\\(s\\)\\..*"), out);
    JsonObject json = new JsonObject(Files.readString(results.resolve("bench.json")));
    assertEquals(12, json.getInteger("images"));
    assertEquals("adaptive", json.getString("op"));
    assertEquals(0.2, json.getDouble("warmupSeconds"));
    assertTrue(out.contains("Warm-up: "), out);
    JsonArray rows = json.getJsonArray("results");
    assertEquals(2, rows.size());
    assertEquals(2, rows.getJsonObject(1).getInteger("workers"));
    assertTrue(rows.getJsonObject(1).getDouble("seconds") > 0);
    assertEquals(1.0, rows.getJsonObject(0).getDouble("speedup"));
    assertTrue(json.getJsonObject("loop").getDouble("seconds") > 0);
    assertTrue(json.containsKey("busCostPerImageMicros"));
    // Two loops at once, the machine's ceiling for two workers, beside the 2-worker row.
    assertTrue(json.getJsonObject("loopPair").getDouble("seconds") > 0);
    assertTrue(json.getDouble("twoWorkersVsLoopPair") > 0);
    assertTrue(out.contains("Two plain loops at once"), out);
    String svg = Files.readString(results.resolve("bench.svg"));
    assertTrue(svg.startsWith("<svg") && svg.contains("speedup") && svg.trim().endsWith("</svg>"));
  }
}
