package dev.pixelbus.common;

import dev.pixelbus.api.ErrorCode;
import dev.pixelbus.api.PixelbusException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * Confines the paths a request names: inputs to the input roots, outputs to the output root.
 * A path with a {@code ..} segment is refused outright; a path that leaves its root through a
 * symbolic link is refused once resolved. Relative inputs are resolved against the first input
 * root, relative outputs against the output root.
 */
public final class PathPolicy {
  private final List<Path> inputRoots;
  private final Path outputRoot;

  public PathPolicy(List<Path> inputRoots, Path outputRoot) {
    if (inputRoots.isEmpty()) {
      throw new IllegalArgumentException("at least one input root is needed");
    }
    this.inputRoots = inputRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    this.outputRoot = outputRoot.toAbsolutePath().normalize();
  }

  public List<Path> inputRoots() {
    return inputRoots;
  }

  public Path outputRoot() {
    return outputRoot;
  }

  /** An existing regular file under an input root: 403 outside, 404 missing, 400 not a file. */
  public Path resolveInput(String raw) {
    return existingUnderInputRoots(raw, false);
  }

  /** An existing folder under an input root, resolved: the same rules as {@link #resolveInput}. */
  public Path resolveInputDir(String raw) {
    return existingUnderInputRoots(raw, true);
  }

  private Path existingUnderInputRoots(String raw, boolean folder) {
    String what = folder ? "input folder" : "input";
    Path p = lexical(raw, inputRoots.get(0), what);
    if (inputRoots.stream().noneMatch(p::startsWith)) {
      throw forbidden(what, raw, "is outside the input roots " + inputRoots);
    }
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.exists(p)) {
      throw new PixelbusException(ErrorCode.NOT_FOUND, "no such " + (folder ? "folder: " : "file: ") + raw);
    }
    Path real = real(p, raw);
    if (inputRoots.stream().map(PathPolicy::realOrSelf).noneMatch(real::startsWith)) {
      throw forbidden(what, raw, "leads outside the input roots through a symbolic link");
    }
    if (folder ? !Files.isDirectory(real) : !Files.isRegularFile(real)) {
      throw PixelbusException.badRequest("input " + raw + (folder ? " is not a folder" : " is not a regular file"));
    }
    return real;
  }

  /**
   * A path under the output root, with its parent folders created. The file itself may exist: it
   * is replaced atomically, so a symbolic link in its place is replaced, not followed.
   */
  public Path resolveOutput(String raw) {
    Path p = lexical(raw, outputRoot, "output");
    if (!p.startsWith(outputRoot) || p.equals(outputRoot)) {
      throw forbidden("output", raw, "is outside the output root " + outputRoot);
    }
    createInsideOutputRoot(p.getParent(), raw, "output");
    Path parent = real(p.getParent(), raw);
    if (!parent.startsWith(realOrSelf(outputRoot))) {
      throw forbidden("output", raw, "leads outside the output root through a symbolic link");
    }
    if (Files.isDirectory(p)) {
      throw PixelbusException.badRequest("output " + raw + " is a folder");
    }
    return parent.resolve(p.getFileName());
  }

  /** A folder under the output root (the root itself allowed), created if missing, resolved. */
  public Path resolveOutputDir(String raw) {
    Path p = lexical(raw, outputRoot, "output folder");
    if (!p.startsWith(outputRoot)) {
      throw forbidden("output folder", raw, "is outside the output root " + outputRoot);
    }
    createInsideOutputRoot(p, raw, "output folder");
    Path real = real(p, raw);
    if (!real.startsWith(realOrSelf(outputRoot))) {
      throw forbidden("output folder", raw, "leads outside the output root through a symbolic link");
    }
    if (!Files.isWritable(real)) {
      throw new PixelbusException(ErrorCode.FORBIDDEN, "the output folder " + raw + " is not writable");
    }
    return real;
  }

  /**
   * Creates {@code dir}'s missing folders, but only after checking where the deepest existing one
   * really is: a symbolic link inside the root that points elsewhere must not get folders created
   * behind it before the request is refused.
   */
  private void createInsideOutputRoot(Path dir, String raw, String what) {
    Path existing = dir;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    // Above the root means the root itself is still to be made (the operator's path): nothing to check.
    if (existing != null && existing.startsWith(outputRoot) && !realOrSelf(existing).startsWith(realOrSelf(outputRoot))) {
      throw forbidden(what, raw, "leads outside the output root through a symbolic link");
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new PixelbusException(ErrorCode.FORBIDDEN, "cannot create the " + what + " " + raw + ": " + describe(e));
    }
  }

  /** A file name from a listing or a batch message: one plain name, no folders. */
  public static String plainName(String name) {
    if (name == null || name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0
        || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
      throw new PixelbusException(ErrorCode.FORBIDDEN, "not a plain file name: " + name);
    }
    return name;
  }

  private static String describe(IOException e) {
    return e instanceof FileAlreadyExistsException ? "a file is in the way (" + e.getMessage() + ")"
        : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private static Path lexical(String raw, Path base, String what) {
    if (raw == null || raw.isBlank()) {
      throw PixelbusException.badRequest(what + " path is empty");
    }
    Path p;
    try {
      p = Path.of(raw);
    } catch (InvalidPathException e) {
      throw PixelbusException.badRequest(what + " path is not valid: " + e.getMessage());
    }
    for (Path part : p) {
      if (part.toString().equals("..")) {
        throw forbidden(what, raw, "contains '..'");
      }
    }
    return (p.isAbsolute() ? p : base.resolve(p)).normalize();
  }

  private static Path real(Path p, String raw) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      throw new PixelbusException(ErrorCode.NOT_FOUND, "cannot resolve " + raw + ": " + e.getMessage());
    }
  }

  private static Path realOrSelf(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return p;
    }
  }

  private static PixelbusException forbidden(String what, String raw, String why) {
    return new PixelbusException(ErrorCode.FORBIDDEN, what + " path " + raw + " " + why);
  }
}
