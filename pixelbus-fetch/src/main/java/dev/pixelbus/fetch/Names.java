package dev.pixelbus.fetch;

import java.util.HashSet;
import java.util.Set;

/**
 * The names one fetch job has given out, and those already in its folder: a new download gets a
 * name neither holds (a numeric suffix otherwise), unless overwriting is asked for. Used from the
 * job's event loop and from the blocking step that gives a file its final name, hence synchronized.
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
  synchronized String claim(String wanted) {
    String name = FileNames.unique(wanted, n -> claimed.contains(n) || claimed.contains(n + PART)
        || n.endsWith(PART) && claimed.contains(n.substring(0, n.length() - PART.length()))
        || !overwrite && existing.contains(n));
    claimed.add(name);
    return name;
  }

  synchronized void release(String name) {
    claimed.remove(name);
  }

  /**
   * {@code taken} turned out to exist on disk after all (made since the job listed the folder, by
   * another job or program): remembers it, and gives the next free name for {@code wanted}.
   */
  synchronized String retake(String wanted, String taken) {
    existing.add(taken);
    claimed.remove(taken);
    return claim(wanted);
  }
}
