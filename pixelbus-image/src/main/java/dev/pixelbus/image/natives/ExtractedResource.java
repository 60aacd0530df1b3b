package dev.pixelbus.image.natives;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.jar.JarEntry;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A classpath resource copied once to a folder on disk and reused while its size and CRC-32
 * still match the jar's. The expected values come from the jar's central directory, so checking
 * a cached copy costs one read of the copy and no decompression of the 65 MB original.
 */
public final class ExtractedResource {
  private static final Logger LOG = LoggerFactory.getLogger(ExtractedResource.class);
  private static final String TEMP_PREFIX = "pixelbus-extract-";

  /** Where a resource lives on the classpath, with the size and CRC-32 a good copy must have. */
  public record Source(URL url, String fileName, long size, long crc) {

    public static Source of(URL url) {
      String path = url.getPath();
      String fileName = path.substring(path.lastIndexOf('/') + 1);
      try {
        URLConnection conn = url.openConnection();
        if (conn instanceof JarURLConnection jar) {
          jar.setUseCaches(false);
          JarEntry entry = jar.getJarEntry();
          if (entry.getSize() >= 0 && entry.getCrc() >= 0) {
            return new Source(url, fileName, entry.getSize(), entry.getCrc());
          }
        }
        // An exploded classpath (tests in an IDE): read the resource once to learn its CRC.
        try (InputStream in = url.openStream();
            CheckedInputStream checked = new CheckedInputStream(in, new CRC32())) {
          long size = checked.transferTo(OutputStream.nullOutputStream());
          return new Source(url, fileName, size, checked.getChecksum().getValue());
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read resource " + url, e);
      }
    }

    /** A folder name that changes whenever the content does, so versions never collide. */
    public String versionTag() {
      return String.format("%08x-%d", crc, size);
    }
  }

  /** The result of {@link #ensure}: the file and whether it was written now or reused. */
  public record Copy(Path file, boolean reused) {
  }

  /** No folder could hold a usable copy; {@link #reasons()} says why, folder by folder. */
  public static final class UnusableException extends Exception {
    private final List<String> reasons;

    UnusableException(List<String> reasons) {
      super(String.join("; ", reasons), null, false, false);
      this.reasons = List.copyOf(reasons);
    }

    public List<String> reasons() {
      return reasons;
    }
  }

  private ExtractedResource() {
  }

  /**
   * Makes or reuses a verified copy in {@code dir} that {@code use} accepts (for a native library:
   * {@code System.load}); when that fails, in a new temp folder, deleted at exit. The temp folder
   * is made only then, so a normal start leaves nothing behind even after {@code kill -9}.
   */
  public static Path firstUsable(Source source, Path dir, Consumer<Path> use) throws UnusableException {
    List<String> reasons = new ArrayList<>();
    try {
      return usable(source, dir, use);
    } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
      reasons.add(dir + ": " + explain(e));
    }
    Path tmp = null;
    try {
      tmp = Files.createTempDirectory(TEMP_PREFIX);
      tmp.toFile().deleteOnExit();
      // Registered after the folder, so it is deleted before it.
      Path file = tmp.resolve(source.fileName());
      file.toFile().deleteOnExit();
      Path copy = usable(source, tmp, use);
      LOG.warn("{} could not be used from {}; using a temporary copy in {} instead", source.fileName(), reasons, tmp);
      return copy;
    } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
      reasons.add((tmp != null ? tmp : "a temp folder in " + System.getProperty("java.io.tmpdir")) + ": " + explain(e));
    }
    throw new UnusableException(reasons);
  }

  private static Path usable(Source source, Path dir, Consumer<Path> use) throws IOException {
    Path file = ensure(source, dir).file();
    use.accept(file.toAbsolutePath());
    return file;
  }

  /** Turns the JDK's low-level failures into the cause a person can fix. */
  static String explain(Throwable e) {
    String msg = String.valueOf(e.getMessage());
    if (e instanceof UnsatisfiedLinkError && (msg.contains("failed to map segment") || msg.contains("Operation not permitted"))) {
      return "the folder is on a file system mounted noexec (" + msg + ")";
    }
    if (e instanceof FileSystemException) {
      return "not writable (" + e.getClass().getSimpleName() + ": " + msg + ")";
    }
    return e.getClass().getSimpleName() + ": " + msg;
  }

  /**
   * Returns a verified copy of {@code source} in {@code dir}, reusing one that is already there.
   * The copy is written to a temporary name and moved into place atomically, so a process killed
   * half-way, or two processes starting at once, never leave a half-written file under the name.
   */
  public static Copy ensure(Source source, Path dir) throws IOException {
    Path target = dir.resolve(source.fileName());
    if (matches(target, source)) {
      return new Copy(target, true);
    }
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, source.fileName(), ".part");
    try {
      try (InputStream in = source.url().openStream()) {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      }
      if (!matches(tmp, source)) {
        throw new IOException("the copy of " + source.fileName() + " in " + dir + " does not match the original"
            + " (disk full?)");
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return new Copy(target, false);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** True when {@code file} exists with the size and CRC-32 of the source. */
  public static boolean matches(Path file, Source source) throws IOException {
    if (!Files.isRegularFile(file) || Files.size(file) != source.size()) {
      return false;
    }
    return crc32(file) == source.crc();
  }

  static long crc32(Path file) throws IOException {
    CRC32 crc = new CRC32();
    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      while (ch.read(buf) >= 0) {
        buf.flip();
        crc.update(buf);
        buf.clear();
      }
    }
    return crc.getValue();
  }
}
