package dev.pixelbus.fetch;

import java.util.HashSet;
import java.util.Set;

/**
 * The names one fetch job has given out, and those already in its folder: a new download gets a
 * name neither holds (a numeric suffix otherwise), unless overwriting is asked for. Used from one
 * event loop only.
 */
final class Names {
  static final String PART = ".part";
  private final Set<String> existing;
  private final Set<String> claimed = new HashSet<>();
  private final boolean overwrite;

  Names(Set<String> existing, boolean overwrite) {
    this.existing = existing;
    this.overwrite = overwrite;
  }

  boolean overwrite() {
    return overwrite;
  }

  /** Reserves a free name for {@code wanted} (and its part file). */
  String claim(String wanted) {
    String name = FileNames.unique(wanted, n -> claimed.contains(n) || claimed.contains(n + PART)
        || n.endsWith(PART) && claimed.contains(n.substring(0, n.length() - PART.length()))
        || !overwrite && existing.contains(n));
    claimed.add(name);
    return name;
  }

  void release(String name) {
    claimed.remove(name);
  }
}
