package dev.pixelbus.image.ops;

import dev.pixelbus.api.ImageOp;
import dev.pixelbus.common.Params;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opencv.core.Mat;

/**
 * One image operation, whole: its name, its parameters (each with type, default and range), the parse
 * of a request's parameters into its typed spec {@code S}, the work on a decoded image, and the fields
 * it adds to the reply. {@link Operations} lists every one; the addresses, the HTTP routes, the
 * pipeline's step parser, {@code GET /v1/ops}, the command line's help and {@code ops-time} all read
 * that table. To add an operation, subclass this and list it there (docs/development.md walks through
 * an example).
 *
 * @param <S> its validated parameters
 */
public abstract class Operation<S> {
  private final ImageOp op;
  private final String summary;
  private final List<Param<?>> params;

  /**
   * @param op      its name in the contract (an address per name)
   * @param summary one line: what it does, in cv2's terms
   */
  protected Operation(ImageOp op, String summary, Param<?>... params) {
    this.op = op;
    this.summary = summary;
    this.params = List.of(params);
  }

  public final ImageOp op() {
    return op;
  }

  /** The name in addresses, routes and steps: {@code resize}. */
  public final String label() {
    return op.label();
  }

  public final String summary() {
    return summary;
  }

  public final List<Param<?>> params() {
    return params;
  }

  /**
   * Reads and checks this operation's parameters. The caller refuses any key that no parameter asked
   * for, so read each one (through {@link #get}) even when another makes it moot.
   *
   * @param pipelineStep whether it is a step of a pipeline, where a drawing op answers JSON unless told otherwise
   */
  public abstract S parse(Params params, boolean pipelineStep);

  /**
   * Does the work. Returns the new image, or {@code image} itself when it makes none (or draws on it);
   * the caller owns both and releases them.
   */
  public abstract Mat apply(Mat image, S spec, OpContext context);

  /** Whether the job ends in an image to encode when this is its last step (info does not; faces only when it draws). */
  public boolean makesImage(S spec) {
    return true;
  }

  /** Whether it answers JSON about the image, so that in a pipeline it can only be the last step. */
  public boolean answersJson() {
    return false;
  }

  /** Whether, alone, it reads the image as stored (all channels, any depth) instead of as 8-bit BGR. */
  public boolean readsAsStored() {
    return false;
  }

  /**
   * Shrink-on-load: when this is the first step of a job that depends on the image's scale, the least size
   * (width, height) the image must be decoded at for it, from the image's full size {@code w} × {@code h};
   * null when it needs the full decode. A resize that shrinks needs twice its result; most need it all.
   */
  public int[] leastDecodedSize(S spec, int w, int h) {
    return null;
  }

  /**
   * Shrink-on-load: the size after this step when it works the same at any scale (grayscale, flip, rotate),
   * so that a later step may still take a smaller decode; null when its result depends on the scale.
   */
  public int[] scaleFreeSize(S spec, int w, int h) {
    return null;
  }

  /** The fields it adds to the reply, each with a line of help. */
  public Map<String, String> replyFields() {
    return Map.of();
  }

  /** Reply fields in the order given: name, help, name, help, ... */
  protected static Map<String, String> fields(String... nameThenHelp) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = 0; i < nameThenHelp.length; i += 2) {
      fields.put(nameThenHelp[i], nameThenHelp[i + 1]);
    }
    return fields;
  }

  /** A parameter of this operation, read and checked. */
  protected final <T> T get(Params p, Param<T> param) {
    return param.read(p, label());
  }

  /** The operation as {@code GET /v1/ops} publishes it. */
  public final Map<String, Object> describe() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("name", label());
    d.put("address", op.address());
    d.put("summary", summary);
    d.put("params", params.stream().map(Param::describe).toList());
    d.put("reply", replyFields());
    d.put("answersJson", answersJson());
    return d;
  }

  /** Parameters with their examples (or defaults): what {@code ops-time} times and forms show first. */
  public final Map<String, Object> example() {
    Map<String, Object> e = new LinkedHashMap<>();
    for (Param<?> p : params) {
      Object v = p.exampleOrDefault();
      if (v != null && (p.isRequired() || !v.equals(p.describe().get("default")))) {
        e.put(p.name(), v);
      }
    }
    return e;
  }

  @Override
  public String toString() {
    return label();
  }
}
