package dev.pixelbus.image.ops;

import dev.pixelbus.api.ImageOp;
import dev.pixelbus.api.PixelbusException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The table of image operations: each one whole in its own class. Everything that lists or runs
 * operations reads this table: the image workers' addresses, the pipeline's steps, {@code GET /v1/ops}
 * and {@code pixelbus.image.ops}, the command line's help and options, {@code ops-time}.
 *
 * <p>{@link ImageOp}, in the contract, names them (an address per name) for callers that have no
 * OpenCV; this table must hold exactly one operation for each of its names but {@code pipeline}, which
 * is checked when the class loads.
 */
public final class Operations {
  private static final List<Operation<?>> ALL = List.of(new Info(), new Grayscale(), new Threshold(), new Adaptive(),
      new Faces(), new Resize(), new Crop(), new Rotate(), new Flip(), new Blur(), new Sharpen(), new FaceCrop());
  private static final Map<ImageOp, Operation<?>> BY_OP = index(ALL);
  private static final List<String> LABELS = ALL.stream().map(Operation::label).toList();

  private Operations() {
  }

  /** Every operation, in the order of the table. */
  public static List<Operation<?>> all() {
    return ALL;
  }

  /** Every operation's name, in order. */
  public static List<String> labels() {
    return LABELS;
  }

  /** The operation of a name of the contract; {@code pipeline} is not one (it is a list of them). */
  public static Operation<?> of(ImageOp op) {
    Operation<?> o = BY_OP.get(op);
    if (o == null) {
      throw new IllegalArgumentException(op.label() + " is not an operation of its own: it is a list of them");
    }
    return o;
  }

  /** The operation of a name; 400 for any other name. */
  public static Operation<?> parse(String name) {
    for (Operation<?> o : ALL) {
      if (o.label().equals(name)) {
        return o;
      }
    }
    throw PixelbusException.badRequest("unknown op '" + name + "': use one of " + LABELS);
  }

  /** The table as {@code GET /v1/ops} publishes it: every operation with its parameters and reply fields. */
  public static List<Map<String, Object>> describe() {
    return ALL.stream().map(Operation::describe).toList();
  }

  /** One operation for each name of {@link ImageOp} but pipeline, and no name twice: else the module cannot start. */
  static Map<ImageOp, Operation<?>> index(List<Operation<?>> all) {
    Map<ImageOp, Operation<?>> byOp = new EnumMap<>(ImageOp.class);
    for (Operation<?> o : all) {
      if (byOp.put(o.op(), o) != null) {
        throw new IllegalStateException("two operations in the table are named " + o.label());
      }
    }
    List<String> missing = new ArrayList<>();
    for (ImageOp op : ImageOp.values()) {
      if (op != ImageOp.PIPELINE && !byOp.containsKey(op)) {
        missing.add(op.label());
      }
    }
    if (!missing.isEmpty() || byOp.containsKey(ImageOp.PIPELINE)) {
      throw new IllegalStateException("the table of operations (Operations) does not match the contract's names"
          + " (ImageOp): no operation for " + missing);
    }
    return byOp;
  }
}
