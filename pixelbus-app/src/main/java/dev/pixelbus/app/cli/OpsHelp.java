package dev.pixelbus.app.cli;

import dev.pixelbus.api.ImageOp;
import dev.pixelbus.image.ops.Operation;
import dev.pixelbus.image.ops.Operations;
import dev.pixelbus.image.ops.Param;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The command line's view of the table of operations: the names {@code --op} takes, an option for each
 * parameter, and the list of operations in {@code pixelbus image --help}. All of it is made from the
 * table, so an operation added there shows up here with nothing to write.
 */
public final class OpsHelp {
  private OpsHelp() {
  }

  /** Every operation's name, and pipeline: what {@code --op} and {@code image OP} take. */
  public static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Stream.concat(Operations.labels().stream(), Stream.of(ImageOp.PIPELINE.label())).iterator();
    }
  }

  /** What a generated option stands for: a parameter, or the {@code --no-} form of a boolean one. */
  record ParamOption(String name, boolean negated, boolean size) {
  }

  /** The options for every parameter of the table, one per name, but those whose option name is in {@code taken}. */
  static List<OptionSpec> paramOptions(Set<String> taken) {
    Map<String, List<Operation<?>>> users = new LinkedHashMap<>();
    Map<String, Param<?>> first = new LinkedHashMap<>();
    for (Operation<?> op : Operations.all()) {
      for (Param<?> p : op.params()) {
        users.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(op);
        first.putIfAbsent(p.name(), p);
      }
    }
    List<OptionSpec> options = new ArrayList<>();
    first.forEach((name, p) -> {
      String option = optionName(name);
      if (taken.contains(option)) {
        return; // -h is help: crop's h is -p h=N
      }
      String ops = String.join(", ", users.get(name).stream().map(Operation::label).toList());
      OptionSpec.Builder b = OptionSpec.builder(option).type(String.class).paramLabel(label(p))
          .description(ops + ": " + p.help() + " (" + facts(p) + ")").userObject(new ParamOption(name, false, p.type() == Param.Type.SIZE));
      if (p.type() == Param.Type.BOOLEAN) {
        b.arity("0..1").fallbackValue("true");
      }
      options.add(b.build());
      if (p.type() == Param.Type.BOOLEAN && Boolean.TRUE.equals(p.defaultValue())) {
        options.add(OptionSpec.builder("--no-" + kebab(name)).type(Boolean.class).arity("0")
            .description(ops + ": " + name + " false").userObject(new ParamOption(name, true, false)).build());
      }
    });
    return options;
  }

  /** {@code blockSize} is {@code --block-size}; a one-letter name, {@code c}, is {@code -c}. */
  static String optionName(String param) {
    return param.length() == 1 ? "-" + param : "--" + kebab(param);
  }

  private static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  private static String label(Param<?> p) {
    return switch (p.type()) {
      case BOOLEAN -> "BOOL";
      case SIZE -> "WxH";
      case CHOICE -> String.join("|", p.labels());
      default -> p.type().label().toUpperCase(Locale.ROOT);
    };
  }

  /** Type, rule and default in a few words: {@code integer, odd and 3 or more; default 11}. */
  static String facts(Param<?> p) {
    List<String> facts = new ArrayList<>();
    Map<String, Object> d = p.describe();
    facts.add(p.type() == Param.Type.CHOICE ? "one of " + String.join(", ", p.labels()) : p.type().label());
    if (d.containsKey("rule") && !List.of("an integer", "a number").contains(d.get("rule").toString())) {
      facts.add(d.get("rule").toString());
    }
    if (d.containsKey("default")) {
      Object def = d.get("default");
      facts.add("default " + (def instanceof Double v && v == Math.rint(v) ? String.valueOf(v.longValue()) : def));
    } else if (p.isRequired()) {
      facts.add("required");
    }
    return String.join("; ", facts);
  }

  /** The operations and their parameters, for {@code pixelbus image --help}, in lines of at most 80 characters. */
  static List<String> footer() {
    List<String> lines = new ArrayList<>();
    lines.add("");
    lines.add("Operations (parameters as -p NAME=VALUE; the same table as GET /v1/ops):");
    for (Operation<?> op : Operations.all()) {
      wrap(lines, String.format("  %-10s ", op.label()), op.summary());
      for (Param<?> p : op.params()) {
        wrap(lines, String.format("      %-14s ", p.name()), facts(p) + ": " + p.help());
      }
    }
    wrap(lines, String.format("  %-10s ", ImageOp.PIPELINE.label()),
        "several of them on one decoded image: --step OP:NAME=VALUE,... (in order)");
    return lines;
  }

  /** Appends {@code text} after {@code head}, wrapped at word boundaries, continued under its first word. */
  private static void wrap(List<String> lines, String head, String text) {
    StringBuilder line = new StringBuilder(head);
    for (String word : text.split(" ")) {
      if (line.length() > head.length() && line.length() + 1 + word.length() > WIDTH) {
        lines.add(line.toString());
        line = new StringBuilder(" ".repeat(head.length()));
      }
      if (line.length() > head.length()) {
        line.append(' ');
      }
      line.append(word);
    }
    lines.add(line.toString());
  }

  private static final int WIDTH = 80;

  /** Puts {@link #footer()} under a command's help, before its examples. */
  public static final class Footer implements IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      List<String> lines = new ArrayList<>(footer());
      lines.addAll(List.of(spec.usageMessage().footer()));
      spec.usageMessage().footer(lines.toArray(new String[0]));
      return spec;
    }
  }
}
