package dev.pixelbus.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pixelbus.app.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Facts in the docs that would drift if they were kept by hand: the README names every command the jar
 * has (the command line's own list, with the benchmark tools the dist module adds), and no page states a
 * count of tests or of lines, which only a build could keep true.
 */
class DocsTest {
  private static final Path README = Path.of("README.md");
  /** "426 tests", "(218 tests)", a column of "lines of Java": counts that go stale with the next commit. */
  private static final Pattern COUNT = Pattern.compile("\\b\\d[\\d,]*\\s+(unit |JUnit )?tests\\b|lines of (Java|code)",
      Pattern.CASE_INSENSITIVE);

  @Test
  void theReadmeNamesEveryCommand() throws IOException {
    String readme = Files.readString(README);
    List<String> missing = new ArrayList<>();
    for (String command : Main.commandLine().getSubcommands().keySet()) {
      if (!readme.contains("`" + command + "`")) {
        missing.add(command);
      }
    }
    assertEquals(List.of(), missing, "commands of `java -jar target/pixelbus.jar --help` that README.md does not name");
  }

  @Test
  void noPageKeepsACountOfTestsOrLinesByHand() throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> docs = Files.list(Path.of("docs"))) {
      for (Path page : Stream.concat(Stream.of(README), docs.filter(p -> p.toString().endsWith(".md"))).toList()) {
        List<String> lines = Files.readAllLines(page);
        for (int i = 0; i < lines.size(); i++) {
          if (COUNT.matcher(lines.get(i)).find()) {
            found.add(page + ":" + (i + 1) + ": " + lines.get(i).strip());
          }
        }
      }
    }
    assertEquals(List.of(), found, "a count kept by hand; say what the tests check instead, or measure and date it");
  }
}
