package dev.pixelbus.image.natives;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The frontal-face Haar cascade built into the jar (from Debian's opencv-data; see NOTICE). OpenCV
 * loads cascades from files only, so it is extracted once, like the native library, and reused.
 */
public final class Cascades {
  public static final String FRONTAL_FACE = "dev/pixelbus/cascades/haarcascade_frontalface_default.xml";

  private static volatile Path bundled;

  private Cascades() {
  }

  /** The configured cascade when given (it must exist), or the bundled one. */
  public static Path resolve(Path configured, Path cacheDir) {
    if (configured != null) {
      if (!Files.isRegularFile(configured)) {
        throw new IllegalArgumentException("image.cascade " + configured + " is not a file");
      }
      return configured;
    }
    return bundled(cacheDir);
  }

  public static Path bundled(Path cacheDir) {
    Path done = bundled;
    if (done != null) {
      return done;
    }
    synchronized (Cascades.class) {
      if (bundled == null) {
        URL url = Cascades.class.getClassLoader().getResource(FRONTAL_FACE);
        if (url == null) {
          throw new IllegalStateException(FRONTAL_FACE + " is missing from the classpath");
        }
        ExtractedResource.Source source = ExtractedResource.Source.of(url);
        Path base = cacheDir != null ? cacheDir : OpenCvNative.defaultCacheDir();
        try {
          bundled = ExtractedResource.firstUsable(source, base.resolve("cascades").resolve(source.versionTag()), p -> { });
        } catch (ExtractedResource.UnusableException e) {
          throw new IllegalStateException("cannot extract the bundled cascade: " + e.getMessage());
        }
      }
      return bundled;
    }
  }
}
