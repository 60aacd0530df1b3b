package dev.pixelbus.image.ops;

import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.common.Params;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One parameter of an operation, declared once: its name, type, default, range or choices, and a line
 * of help. The declaration is both what {@code GET /v1/ops} publishes and what {@link #read} enforces,
 * so the two cannot drift apart. A value outside it is 400, naming the parameter and the rule.
 * Immutable: each refinement returns a new declaration.
 *
 * @param <T> the Java type of its value
 */
public final class Param<T> {
  /** The kinds of value, by their names in {@code GET /v1/ops}. */
  public enum Type {
    INTEGER, NUMBER, BOOLEAN, CHOICE, SIZE, STRING;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final String name;
  private final Type type;
  private final T defaultValue;
  private final String help;
  private final boolean required;
  private final Double min;
  private final boolean minExclusive;
  private final Double max;
  private final boolean odd;
  /** For numbers: the only values allowed (angle: 90, 180, 270); for choices: the enum constants allowed. */
  private final List<?> allowed;
  private final Class<?> enumType;
  private final Object example;

  private Param(String name, Type type, T defaultValue, String help, boolean required, Double min, boolean minExclusive,
                Double max, boolean odd, List<?> allowed, Class<?> enumType, Object example) {
    this.name = name;
    this.type = type;
    this.defaultValue = defaultValue;
    this.help = help;
    this.required = required;
    this.min = min;
    this.minExclusive = minExclusive;
    this.max = max;
    this.odd = odd;
    this.allowed = allowed;
    this.enumType = enumType;
    this.example = example;
  }

  private static <T> Param<T> of(String name, Type type, T def, String help, Class<?> enumType, List<?> allowed) {
    return new Param<>(name, type, def, help, false, null, false, null, false, allowed, enumType, null);
  }

  /** An integer; {@code def} null for an optional one with no default. */
  public static Param<Integer> integer(String name, Integer def, String help) {
    return of(name, Type.INTEGER, def, help, null, List.of());
  }

  public static Param<Double> number(String name, Double def, String help) {
    return of(name, Type.NUMBER, def, help, null, List.of());
  }

  public static Param<Boolean> bool(String name, boolean def, String help) {
    return of(name, Type.BOOLEAN, def, help, null, List.of());
  }

  /** One of an enum's constants, by its lower-case name. */
  public static <E extends Enum<E>> Param<E> choice(String name, Class<E> type, E def, String help) {
    return of(name, Type.CHOICE, def, help, type, List.of(type.getEnumConstants()));
  }

  /** A width and height: [w, h], {"width": w, "height": h} or one number for a square; optional. */
  public static Param<int[]> size(String name, String help) {
    return of(name, Type.SIZE, null, help, null, List.of());
  }

  /** Free text (a path, say); optional. */
  public static Param<String> string(String name, String help) {
    return of(name, Type.STRING, null, help, null, List.of());
  }

  private Param<T> with(boolean required, Double min, boolean minExclusive, Double max, boolean odd, List<?> allowed,
                        Object example) {
    return new Param<>(name, type, defaultValue, help, required, min, minExclusive, max, odd, allowed, enumType, example);
  }

  /** No default: a request without it is 400 ({@code rotate needs angle}). */
  public Param<T> required() {
    return with(true, min, minExclusive, max, odd, allowed, example);
  }

  /** From {@code min} to {@code max}, both included. */
  public Param<T> range(double min, double max) {
    return with(required, min, false, max, odd, allowed, example);
  }

  /** {@code min} or more. */
  public Param<T> atLeast(double min) {
    return with(required, min, false, max, odd, allowed, example);
  }

  /** Above {@code min}, and at most {@code max} (null: no upper bound). */
  public Param<T> above(double min, Double max) {
    return with(required, min, true, max, odd, allowed, example);
  }

  /** An odd integer (kernel sizes). */
  public Param<T> odd() {
    return with(required, min, minExclusive, max, true, allowed, example);
  }

  /** Only these values: numbers for a number, constants of its enum for a choice. */
  @SafeVarargs
  public final Param<T> only(T... values) {
    return with(required, min, minExclusive, max, odd, List.of(values), example);
  }

  /** A value to show in forms and examples, and to time in {@code ops-time}, when there is no default to use. */
  public Param<T> example(Object value) {
    return with(required, min, minExclusive, max, odd, allowed, value);
  }

  public String name() {
    return name;
  }

  public Type type() {
    return type;
  }

  /** One line: what it does. */
  public String help() {
    return help;
  }

  public T defaultValue() {
    return defaultValue;
  }

  public boolean isRequired() {
    return required;
  }

  /** The example, else the default: what a form shows first; null when there is neither. */
  public Object exampleOrDefault() {
    return example != null ? example : publish(defaultValue);
  }

  /**
   * Reads the parameter: its default when absent, else its value, checked against the declaration.
   *
   * @param op the operation's label, for the message of a missing required value
   */
  @SuppressWarnings("unchecked")
  public T read(Params p, String op) {
    if (!p.has(name)) {
      if (required) {
        throw PixelbusException.badRequest(op + " needs " + name + (type == Type.CHOICE ? ": " + choices(false) : ""));
      }
      return defaultValue;
    }
    Object v = switch (type) {
      case INTEGER -> p.integer(name, 0);
      case NUMBER -> p.number(name, 0);
      case BOOLEAN -> p.bool(name, false);
      case CHOICE -> choose(p.string(name, null));
      case SIZE -> p.size(name);
      case STRING -> p.string(name, null);
    };
    if (v instanceof Number n) {
      check(n.doubleValue());
    } else if (v instanceof int[] wh) {
      if (wh[0] <= 0 || wh[1] <= 0) {
        throw PixelbusException.badRequest(name + " must be positive, not " + wh[0] + "x" + wh[1]);
      }
    }
    return (T) v;
  }

  private void check(double v) {
    boolean inRange = (min == null || (minExclusive ? v > min : v >= min)) && (max == null || v <= max);
    boolean ok = Double.isFinite(v) && inRange && (!odd || (v % 2 != 0)) && (allowed.isEmpty() || allowed.stream()
        .anyMatch(a -> ((Number) a).doubleValue() == v));
    if (!ok) {
      throw PixelbusException.badRequest(name + " must be " + rule() + ", not " + show(v));
    }
  }

  /** The rule a value breaks, in words: {@code odd and between 1 and 99}. */
  public String rule() {
    if (type == Type.CHOICE) {
      return choices(true);
    }
    if (!allowed.isEmpty()) {
      return or(allowed.stream().map(a -> show(((Number) a).doubleValue())).toList());
    }
    List<String> parts = new ArrayList<>();
    if (odd) {
      parts.add("odd");
    }
    if (min != null && max != null && !minExclusive) {
      parts.add("between " + show(min) + " and " + show(max));
    } else if (min != null && max != null) {
      parts.add("above " + show(min) + " and at most " + show(max));
    } else if (min != null) {
      parts.add(minExclusive ? "above " + show(min) : show(min) + " or more");
    } else if (max != null) {
      parts.add("at most " + show(max));
    }
    return parts.isEmpty() ? type == Type.INTEGER ? "an integer" : "a number" : String.join(" and ", parts);
  }

  private Object choose(String value) {
    for (Object e : allowed) {
      if (((Enum<?>) e).name().equalsIgnoreCase(value)) {
        return e;
      }
    }
    throw PixelbusException.badRequest(name + " must be " + choices(true) + ", not '" + value + "'");
  }

  private String choices(boolean quoted) {
    return or(labels().stream().map(l -> quoted ? "'" + l + "'" : l).toList());
  }

  /** A choice's allowed values, by the names a request uses. */
  public List<String> labels() {
    return allowed.stream().map(e -> ((Enum<?>) e).name().toLowerCase(Locale.ROOT)).toList();
  }

  private static String or(List<String> items) {
    return items.size() == 1 ? items.get(0)
        : String.join(", ", items.subList(0, items.size() - 1)) + " or " + items.get(items.size() - 1);
  }

  private static String show(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
  }

  /** A bound as JSON shows it: 3, not 3.0. */
  private static Number number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? (Number) (long) v : (Number) v;
  }

  /** A value as {@code GET /v1/ops} shows it: enum constants by their lower-case names, sizes as [w, h]. */
  private static Object publish(Object v) {
    if (v instanceof Enum<?> e) {
      return e.name().toLowerCase(Locale.ROOT);
    }
    if (v instanceof int[] wh) {
      return Arrays.stream(wh).boxed().toList();
    }
    return v;
  }

  /** The declaration as {@code GET /v1/ops} publishes it. */
  public Map<String, Object> describe() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("name", name);
    d.put("type", type.label());
    if (defaultValue != null) {
      d.put("default", publish(defaultValue));
    }
    d.put("required", required);
    if (type == Type.CHOICE) {
      d.put("choices", labels());
    } else if (!allowed.isEmpty()) {
      d.put("choices", allowed);
    }
    if (min != null) {
      d.put(minExclusive ? "above" : "min", number(min));
    }
    if (max != null) {
      d.put("max", number(max));
    }
    if (odd) {
      d.put("odd", true);
    }
    if (type == Type.INTEGER || type == Type.NUMBER) {
      d.put("rule", rule());
    }
    if (example != null) {
      d.put("example", example);
    }
    d.put("help", help);
    return d;
  }

  @Override
  public String toString() {
    return name + " (" + type.label() + ")";
  }
}
