package dev.pixelbus.common;

import java.nio.file.Path;
import java.util.Locale;

/** The platform's folder for a program's caches, where pixelbus keeps what it can make again. */
public final class CacheFolder {
  private CacheFolder() {
  }

  /** $XDG_CACHE_HOME/pixelbus, ~/.cache/pixelbus, ~/Library/Caches/pixelbus on macOS, %LOCALAPPDATA%\pixelbus\cache on Windows. */
  public static Path platformDefault() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String home = System.getProperty("user.home");
    if (os.contains("win") && System.getenv("LOCALAPPDATA") != null) {
      return Path.of(System.getenv("LOCALAPPDATA"), "pixelbus", "cache");
    }
    if (os.contains("mac")) {
      return Path.of(home, "Library", "Caches", "pixelbus");
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    return xdg != null && !xdg.isBlank() ? Path.of(xdg, "pixelbus") : Path.of(home, ".cache", "pixelbus");
  }
}
