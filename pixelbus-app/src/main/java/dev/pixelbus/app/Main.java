package dev.pixelbus.app;

import dev.pixelbus.app.cli.BatchCommand;
import dev.pixelbus.app.cli.EchoCommand;
import dev.pixelbus.app.cli.FetchCommand;
import dev.pixelbus.app.cli.ImageCommand;
import dev.pixelbus.app.cli.SignCommand;
import dev.pixelbus.app.cli.TilesCommand;
import dev.pixelbus.app.config.ConfigLoader;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The command line. With no command, or with options only, it runs the server; otherwise it runs
 * one job and exits. The benchmark commands are not listed here: pixelbus-bench adds them through
 * {@link CommandProvider} when it is on the class path (it is in the fat jar).
 */
@Command(name = "pixelbus", mixinStandardHelpOptions = true, version = "pixelbus 0.1.0",
    description = "Concurrent image processing, line echo and URL fetching on Vert.x.",
    subcommands = {Main.Serve.class, ImageCommand.class, BatchCommand.class, TilesCommand.class, SignCommand.class,
        EchoCommand.class, FetchCommand.class},
    footer = {"", "With no command, pixelbus serves: java -jar pixelbus.jar [-conf FILE] [-cluster] ..."})
public final class Main {
  private static final Set<String> HELP = Set.of("-h", "--help", "help", "-V", "--version");

  /**
   * Jackson's longest string by default is 20,000,000 characters: a bridge frame or JSON body holding
   * the base64 of a 15 MB image would be refused as malformed long before {@code bridge.maxFrameBytes}
   * (32 MiB). Frames and bodies have their own limits, so this one is raised to 64 MiB, unless set.
   * It must be set before Vert.x first parses JSON.
   */
  static final String JSON_MAX_STRING = "vertx.jackson.defaultReadMaxStringLength";

  public static void main(String[] args) {
    if (System.getProperty(JSON_MAX_STRING) == null) {
      System.setProperty(JSON_MAX_STRING, String.valueOf(64 << 20));
    }
    boolean serve = args.length == 0 || args[0].equals("serve") || (args[0].startsWith("-") && !HELP.contains(args[0]));
    if (serve) {
      ConfigLoader.useClusterXml();
      String[] rest = role(args.length > 0 && args[0].equals("serve") ? Arrays.copyOfRange(args, 1, args.length) : args);
      String wrong = checkLauncherOptions(rest);
      if (wrong != null) {
        System.err.println("pixelbus: " + wrong);
        System.exit(2);
      }
      new PixelbusApplication(rest).launch();
      return;
    }
    System.exit(commandLine().execute(args));
  }

  /** The command line: the product's own commands, then those of every {@link CommandProvider} on the class path. */
  public static CommandLine commandLine() {
    CommandLine line = new CommandLine(new Main());
    for (CommandProvider provider : ServiceLoader.load(CommandProvider.class)) {
      for (Object command : provider.commands()) {
        line.addSubcommand(command); // a name already taken throws: two commands never share one silently
      }
    }
    return line;
  }

  /**
   * The launcher takes a {@code -conf} or {@code -options} it cannot read (a typo in a file name, a
   * stray comma) with one warning and starts on other settings; and {@code -instances N} would deploy
   * N copies of everything, multiplying every "at most" limit. Both are refused here, before anything
   * starts.
   *
   * @return what is wrong, or null
   */
  static String checkLauncherOptions(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String name = args[i].startsWith("--") ? args[i].substring(1) : args[i];
      String value = null;
      if (name.contains("=")) {
        value = name.substring(name.indexOf('=') + 1);
        name = name.substring(0, name.indexOf('='));
      } else if (i + 1 < args.length) {
        value = args[i + 1];
      }
      if (CONFIG_OPTIONS.contains(name) && value != null) {
        String problem = jsonOrFileProblem(value);
        if (problem != null) {
          return name + " " + value + ": " + problem;
        }
      } else if (name.equals("-instances") && value != null && !value.equals("1")) {
        return "-instances " + value + ": pixelbus runs one instance of each part per process (its limits are per process);"
            + " set echo.instances or image.workers instead";
      }
    }
    return null;
  }

  /** The launcher's options that name a configuration, with their aliases. */
  private static final Set<String> CONFIG_OPTIONS = Set.of("-conf", "-config", "-options", "-vertx-options",
      "-deployment-options");

  private static String jsonOrFileProblem(String value) {
    String text = value.trim();
    if (text.startsWith("{")) {
      try {
        new JsonObject(text);
        return null;
      } catch (RuntimeException e) {
        return "not valid JSON: " + e.getMessage();
      }
    }
    Path file = Path.of(value);
    if (!Files.exists(file) || Files.isDirectory(file)) {
      return "no such file (and not inline JSON)";
    }
    if (!Files.isRegularFile(file)) {
      return null; // a pipe (-conf <(...)): reading it here would leave nothing for the launcher
    }
    try {
      // As the launcher reads it: bytes, so a UTF-8 byte-order mark is skipped
      new JsonObject(Buffer.buffer(Files.readAllBytes(file)));
      return null;
    } catch (IOException e) {
      return "cannot read: " + e.getMessage();
    } catch (RuntimeException e) {
      return "not valid JSON: " + e.getMessage();
    }
  }

  /**
   * {@code --role worker|all} is pixelbus's own option, not the launcher's: it becomes the
   * {@code role} key of the configuration (through {@code -Dpixelbus.role}), and is taken out.
   */
  static String[] role(String[] args) {
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--role") && i + 1 < args.length) {
        System.setProperty("pixelbus.role", args[++i]);
      } else if (args[i].startsWith("--role=")) {
        System.setProperty("pixelbus.role", args[i].substring("--role=".length()));
      } else {
        rest.add(args[i]);
      }
    }
    return rest.toArray(new String[0]);
  }

  /** Listed for the help text only: {@link #main} hands {@code serve} to Vert.x's launcher. */
  @Command(name = "serve", description = {"Run the server (the default). Takes the Vert.x launcher's options:",
      "-conf FILE|JSON, -cluster, -cluster-host, -options FILE|JSON, -instances N; see serve --help.",
      "pixelbus's own: --role worker (only the image workers: a cluster node that lends its cores)."})
  static final class Serve implements Runnable {
    @Override
    public void run() {
      new PixelbusApplication(new String[0]).launch();
    }
  }
}
