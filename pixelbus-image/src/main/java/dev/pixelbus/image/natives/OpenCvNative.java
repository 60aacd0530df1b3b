package dev.pixelbus.image.natives;

import dev.pixelbus.common.CacheFolder;
import java.net.URL;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads OpenCV's native library once per JVM, from a verified copy kept in a cache folder.
 *
 * <p>openpnp's own {@code loadLocally()} writes a fresh 65 MB copy to a new temp folder on every
 * start (about 0.4 s) and leaves it behind after {@code kill -9}. Here the copy is written once,
 * checked by size and CRC-32 against the jar on each start, and reused. When the cache folder
 * cannot be used (not writable, mounted noexec) a temp folder is tried; when that fails too the
 * error says what to change.
 */
public final class OpenCvNative {
  private static final Logger LOG = LoggerFactory.getLogger(OpenCvNative.class);

  /** System property (and, as PIXELBUS_OPENCV_CACHE_DIR, environment variable) naming the cache folder. */
  public static final String CACHE_DIR_PROPERTY = "pixelbus.opencv.cacheDir";
  public static final String CACHE_DIR_ENV = "PIXELBUS_OPENCV_CACHE_DIR";
  static final String LIBRARY = "opencv_java490";

  private static volatile Path loadedFrom;

  private OpenCvNative() {
  }

  /** Loads the library with the cache folder from the system property, the environment, or the default. */
  public static Path load() {
    return load(null);
  }

  /**
   * Loads the library (once; later calls return at once) and returns the file it was loaded from.
   *
   * @param cacheDir the cache folder, or null for {@link #defaultCacheDir()}
   */
  public static Path load(Path cacheDir) {
    Path done = loadedFrom;
    if (done != null) {
      return done;
    }
    synchronized (OpenCvNative.class) {
      if (loadedFrom == null) {
        long start = System.nanoTime();
        Path dir = cacheDir != null ? cacheDir : defaultCacheDir();
        ExtractedResource.Source source = ExtractedResource.Source.of(resource());
        loadedFrom = loadFirstUsable(source, dir.resolve("opencv").resolve(platform()).resolve(source.versionTag()),
            System::load);
        LOG.info("OpenCV native library loaded from {} in {} ms", loadedFrom, (System.nanoTime() - start) / 1_000_000);
      }
      return loadedFrom;
    }
  }

  /** Loads from the cache folder or else a temp folder, or fails with both reasons and what to set. */
  static Path loadFirstUsable(ExtractedResource.Source source, Path dir, Consumer<String> loader) {
    try {
      return ExtractedResource.firstUsable(source, dir, p -> loader.accept(p.toString()));
    } catch (ExtractedResource.UnusableException e) {
      throw new IllegalStateException("Cannot load the OpenCV native library " + System.mapLibraryName(LIBRARY)
          + ". Tried " + e.getMessage() + ". The folder must be writable and must not be mounted noexec:"
          + " choose another with -D" + CACHE_DIR_PROPERTY + "=DIR or " + CACHE_DIR_ENV + "=DIR.");
    }
  }

  /** The default cache folder: $XDG_CACHE_HOME/pixelbus, ~/.cache/pixelbus, or the platform's equivalent. */
  public static Path defaultCacheDir() {
    String configured = System.getProperty(CACHE_DIR_PROPERTY);
    if (configured == null || configured.isBlank()) {
      configured = System.getenv(CACHE_DIR_ENV);
    }
    if (configured != null && !configured.isBlank()) {
      return Paths.get(configured);
    }
    return CacheFolder.platformDefault();
  }

  /** openpnp's folder names inside its jar: nu/pattern/opencv/{linux,osx,windows}/{x86_64,ARMv8,...}. */
  static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String osDir = os.contains("win") ? "windows" : (os.contains("mac") || os.contains("darwin")) ? "osx" : "linux";
    String archDir = switch (arch) {
      case "amd64", "x86_64" -> "x86_64";
      case "aarch64", "arm64" -> "ARMv8";
      case "arm", "armv7", "armv7l" -> "ARMv7";
      case "x86", "i386", "i686" -> "x86_32";
      default -> arch;
    };
    return osDir + "/" + archDir;
  }

  private static URL resource() {
    String name = "nu/pattern/opencv/" + platform() + "/" + System.mapLibraryName(LIBRARY);
    URL url = OpenCvNative.class.getClassLoader().getResource(name);
    if (url == null) {
      throw new IllegalStateException("No OpenCV native library for this platform in the jar: " + name);
    }
    return url;
  }
}
