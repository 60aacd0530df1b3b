package dev.pixelbus.app.cli;

import dev.pixelbus.api.ImageOp;
import dev.pixelbus.common.Params;
import dev.pixelbus.image.ops.OutputFormat;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The operation and its parameters, as command-line options shared by batch and bench. Each parameter of
 * the table of operations is an option of its own, made from the table ({@link OpsHelp}): {@code blockSize}
 * is {@code --block-size}, {@code c} is {@code -c}, a boolean such as {@code otsu} a flag ({@code draw},
 * true by default, also {@code --no-draw}); an option left out keeps the op's default (the course's:
 * adaptive gaussian, blockSize 11, C 2). {@code -p NAME=VALUE} gives any parameter too.
 */
public final class OpOptions {
  @Option(names = "--op", defaultValue = "adaptive", completionCandidates = OpsHelp.Names.class,
      description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
  String op;

  @Option(names = "--steps", description = "pipeline: the steps as a JSON list, [{\"op\":\"resize\",\"width\":800}, ...]")
  String stepsJson;

  @Option(names = "--step", description = "pipeline: a step, OP or OP:NAME=VALUE,... (repeat it, in order)")
  List<String> steps = new ArrayList<>();

  @Option(names = "--format", description = "png, jpg or webp for every output (default: keep each input's extension)")
  String format;

  @Option(names = "--quality", description = "jpg, webp: 1-100")
  Integer quality;

  @Option(names = {"-p", "--param"}, description = "any parameter, NAME=VALUE (VALUE is JSON or text)")
  Map<String, String> extra = new LinkedHashMap<>();

  /** The command this mixes into, whose options include one per parameter (added by {@link ParamOptions}). */
  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  ImageOp op() {
    return ImageOp.parse(op);
  }

  OutputFormat format() {
    return format == null ? null : OutputFormat.parse(format);
  }

  Integer quality() {
    return quality;
  }

  /** The parameters in the event-bus contract's names. */
  JsonObject params() {
    JsonObject p = new JsonObject();
    if (command != null) {
      for (OptionSpec option : command.options()) {
        if (option.userObject() instanceof OpsHelp.ParamOption param && option.getValue() != null) {
          Object value = option.getValue();
          p.put(param.name(), param.negated() ? !(Boolean) value
              : param.size() ? size(String.valueOf(value)) : Params.fromText(String.valueOf(value)));
        }
      }
    }
    extra.forEach((k, v) -> p.put(k, Params.fromText(v)));
    if (stepsJson != null && !steps.isEmpty()) {
      throw new IllegalArgumentException("give the steps as --steps JSON or as --step options, not both");
    }
    if (stepsJson != null) {
      p.put("steps", Params.fromText(stepsJson));
    } else if (!steps.isEmpty()) {
      p.put("steps", StepText.steps(steps));
    }
    return p;
  }

  /** A size as a shell writes it, WxH, in the contract's [w, h]; anything else as given (JSON or text). */
  private static Object size(String wxh) {
    String[] parts = wxh.toLowerCase(Locale.ROOT).split("x");
    if (parts.length != 2) {
      return Params.fromText(wxh);
    }
    try {
      return new JsonArray().add(Integer.parseInt(parts[0].trim())).add(Integer.parseInt(parts[1].trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a size is WxH, such as 30x30, not " + wxh);
    }
  }

  /** Adds an option for every parameter of the table to a command that mixes in {@link OpOptions}. */
  public static final class ParamOptions implements IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      OpsHelp.paramOptions(spec.optionsMap().keySet()).forEach(spec::addOption);
      return spec;
    }
  }
}
