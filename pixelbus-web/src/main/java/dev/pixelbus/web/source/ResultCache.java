package dev.pixelbus.web.source;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Results on disk under one folder, at most {@code maxBytes} in all, the least recently used evicted first.
 * A result is written to a temporary file beside its place and renamed into it, so a reader (this process,
 * another one sharing the folder, this one after a crash) sees a whole file or none; temporary files left by
 * a crash are deleted at start. The index (key, size, in order of use) lives on the caller's event loop;
 * every file operation runs on a worker thread. After a restart the order is rebuilt from the files' times,
 * which a hit refreshes.
 */
public final class ResultCache {
  private static final String TMP = ".tmp";

  /** What the cache counts, for /metrics. */
  public interface Stats {
    void hit();

    void miss();

    void evicted(int entries);
  }

  private final Vertx vertx;
  private final Path dir;
  private final long maxBytes;
  private final Stats stats;
  private final LinkedHashMap<String, Long> index = new LinkedHashMap<>(64, 0.75f, true);
  private long bytes;

  public ResultCache(Vertx vertx, Path dir, long maxBytes, Stats stats) {
    this.vertx = vertx;
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.stats = stats;
  }

  /** The bytes the cache holds now. */
  public long bytes() {
    return bytes;
  }

  public int entries() {
    return index.size();
  }

  /** Creates the folder, deletes what a crash left half-written, and indexes the results there, oldest use first. */
  public Future<Void> open() {
    return vertx.executeBlocking(this::scan, false).map(found -> {
      for (Map.Entry<String, Long> e : found) {
        index.put(e.getKey(), e.getValue());
        bytes += e.getValue();
      }
      return null;
    }).compose(v -> evict());
  }

  private List<Map.Entry<String, Long>> scan() throws IOException {
    Files.createDirectories(dir);
    List<Object[]> files = new ArrayList<>();
    try (Stream<Path> all = Files.walk(dir, 2)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        if (!Files.isRegularFile(p)) {
          continue;
        }
        if (p.getFileName().toString().endsWith(TMP)) {
          Files.deleteIfExists(p); // a write that a crash cut short: never renamed, never read
          continue;
        }
        files.add(new Object[] {p.getFileName().toString(), Files.size(p), Files.getLastModifiedTime(p)});
      }
    }
    files.sort(Comparator.comparing(f -> (FileTime) f[2]));
    List<Map.Entry<String, Long>> found = new ArrayList<>();
    for (Object[] f : files) {
      found.add(Map.entry((String) f[0], (Long) f[1]));
    }
    return found;
  }

  /** The result of {@code key}, or null: absent, or not a whole file (then deleted). */
  public Future<CachedResult> get(String key) {
    Path file = path(key);
    return vertx.executeBlocking(() -> {
      byte[] raw;
      try {
        raw = Files.readAllBytes(file);
      } catch (NoSuchFileException e) {
        return null;
      }
      CachedResult r = CachedResult.decode(raw);
      if (r == null) {
        Files.deleteIfExists(file);
        return null;
      }
      Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis())); // its use, for a restart
      return r;
    }, false).map(r -> {
      if (r == null) {
        Long gone = index.remove(key);
        bytes -= gone == null ? 0 : gone;
        stats.miss();
      } else {
        if (!index.containsKey(key)) { // written by another process sharing the folder
          index.put(key, (long) r.encode().length);
          bytes += index.get(key);
        } else {
          index.get(key); // a use: to the end of the order
        }
        stats.hit();
      }
      return r;
    });
  }

  /** Keeps {@code result} as {@code key}'s, replacing any, then evicts the least recently used past the bound. */
  public Future<Void> put(String key, CachedResult result) {
    byte[] file = result.encode();
    if (file.length > maxBytes) {
      return Future.succeededFuture(); // larger than the whole cache: not kept
    }
    Path target = path(key);
    return vertx.executeBlocking(() -> {
      Files.createDirectories(target.getParent());
      Path tmp = target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + TMP);
      Files.write(tmp, file);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      return null;
    }, false).compose(v -> {
      Long before = index.put(key, (long) file.length);
      bytes += file.length - (before == null ? 0 : before);
      return evict();
    });
  }

  /**
   * Drops the least recently used results until the cache is within its bound; their files are deleted off the
   * loop before the future completes, so that the folder holds at most the bound once a put is done.
   */
  private Future<Void> evict() {
    List<Path> doomed = new ArrayList<>();
    Iterator<Map.Entry<String, Long>> eldest = index.entrySet().iterator();
    while (bytes > maxBytes && eldest.hasNext()) {
      Map.Entry<String, Long> e = eldest.next();
      bytes -= e.getValue();
      doomed.add(path(e.getKey()));
      eldest.remove();
    }
    if (doomed.isEmpty()) {
      return Future.succeededFuture();
    }
    stats.evicted(doomed.size());
    return vertx.executeBlocking(() -> {
      for (Path p : doomed) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return null;
    }, false);
  }

  private Path path(String key) {
    return dir.resolve(key.substring(0, 2)).resolve(key);
  }
}
