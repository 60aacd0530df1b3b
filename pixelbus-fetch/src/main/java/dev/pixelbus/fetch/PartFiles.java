package dev.pixelbus.fetch;

import dev.pixelbus.api.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * The {@code NAME.part} files of the downloads in flight: opened only when new (a part file that exists
 * belongs to another job or program writing the same folder, and the download takes the next name),
 * given their final name only when whole, deleted on any failure, and all deleted at once when the
 * process is stopped mid-job.
 *
 * <p>A part file is created and listed for that sweep in one step that the sweep cannot come between
 * ({@link #created}): a part on disk is always one the sweep knows. Listing it only once the open's
 * result was back on the event loop left a window in which a Ctrl+C found the file on disk but not in
 * the list, kept it, and said "0 unfinished .part file(s) removed" (PartFilesTest holds that window
 * open; FetchCommandTest fell into it on a loaded machine).
 */
final class PartFiles {
  /** Names tried for one file when others turn out to exist (other jobs or programs writing the same folder). */
  private static final int MAX_NAME_TRIES = 100;

  /** A part file open for a streamed body, under the name it was opened with. */
  record Opened(String name, Path part, AsyncFile file) {
  }

  /** Blocking work that makes a file and gives what it opened. */
  private interface Creation<T> {
    T create() throws IOException;
  }

  private final Vertx vertx;
  private final FileSystem fs;
  /** Part files being written now, for {@link #deleteInFlight} when the process is stopped mid-job. */
  private final Set<Path> inFlight = ConcurrentHashMap.newKeySet();
  /** Set (under this object's lock) when the process is being stopped: no part file is started after the sweep. */
  private boolean stopping;

  PartFiles(Vertx vertx) {
    this.vertx = vertx;
    this.fs = vertx.fileSystem();
  }

  /**
   * Deletes the part files being written now: the process is being stopped (Ctrl+C) and their
   * downloads will not finish. Blocking; for a shutdown hook.
   *
   * @return how many were deleted
   */
  synchronized int deleteInFlight() {
    stopping = true;
    int n = 0;
    for (Path part : inFlight) {
      try {
        if (Files.deleteIfExists(part)) {
          n++;
        }
      } catch (IOException ignored) {
        // the process is ending; nothing else to try
      }
    }
    return n;
  }

  /**
   * Opens {@code NAME.part} for a streamed body, new unless overwriting, the next name if it exists.
   * One hop to the blocking pool, as {@code FileSystem.open} would take: the open is done there so that
   * it and the listing for the sweep are one step.
   */
  Future<Opened> open(Path dir, String base, String name, Names names) {
    OpenOptions options = names.overwrite() ? new OpenOptions().setWrite(true).setCreate(true).setTruncateExisting(true)
        : new OpenOptions().setWrite(true).setCreateNew(true);
    return vertx.executeBlocking(() -> {
      String current = name;
      for (int tries = 0; ; tries++) {
        Path part = dir.resolve(current + Names.PART);
        try {
          AsyncFile file = created(part, () -> fs.openBlocking(part.toString(), options));
          return new Opened(current, part, file);
        } catch (RuntimeException e) {
          if (alreadyExists(e) && tries < MAX_NAME_TRIES) {
            current = names.retake(base, current); // another job's or program's part file: left alone
            continue;
          }
          names.release(current);
          throw e instanceof FetchError f ? f
              : FetchError.of(ErrorCode.INTERNAL, "cannot write " + part + ": " + e.getMessage());
        }
      }
    }, false);
  }

  /**
   * Blocking: runs {@code creation} (which makes {@code part} on disk) and lists the part for the sweep,
   * both under the lock {@link #deleteInFlight} takes; after the sweep, nothing is made.
   */
  private synchronized <T> T created(Path part, Creation<T> creation) throws IOException {
    if (stopping) {
      throw stoppingError(part);
    }
    T made = creation.create();
    inFlight.add(part);
    return made;
  }

  /**
   * Blocking: a streamed part file that holds every byte handed to it gets its final name. A failed
   * write (a full disk) shows here whenever it came back, even after the pipe had finished.
   *
   * @return the final name
   */
  String keep(Path dir, Opened opened, String base, long written, Names names) throws IOException {
    try {
      long size = Files.size(opened.part());
      if (size != written) {
        throw FetchError.of(ErrorCode.INTERNAL, "cannot write " + opened.part() + ": " + size + " of " + written
            + " bytes on disk");
      }
      return publish(dir, opened.part(), base, opened.name(), names);
    } finally {
      inFlight.remove(opened.part());
    }
  }

  /** Deletes a part file that must not be kept, gives back its name and its bytes, and fails with {@code why}. */
  <T> Future<T> discard(Opened opened, Names names, long written, LongConsumer progress, Throwable why) {
    progress.accept(-written);
    return fs.delete(opened.part().toString()).transform(deleted -> {
      inFlight.remove(opened.part());
      names.release(opened.name());
      return Future.failedFuture(why);
    });
  }

  /**
   * Blocking: writes a whole body to a new part file (the next name if that exists), then publishes it.
   * One write of the buffer as it is: {@code Files.write} would copy it and write 8 KiB at a time
   * (measured: 4 write calls per 32 KiB file).
   */
  String writeWhole(Path dir, String base, String name, Names names, ByteBuffer body) throws IOException {
    String current = name;
    for (int tries = 0; ; tries++) {
      Path part = dir.resolve(current + Names.PART);
      Set<StandardOpenOption> mode = names.overwrite()
          ? Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)
          : Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
      FileChannel opened;
      try {
        opened = created(part, () -> FileChannel.open(part, mode));
      } catch (FileAlreadyExistsException e) {
        // another writer's part file: left alone, and the next name tried
        current = nextName(names, base, current, tries, part);
        continue;
      } catch (IOException e) {
        throw FetchError.of(ErrorCode.INTERNAL, "cannot write " + dir.resolve(current) + ": " + e);
      }
      try {
        try (FileChannel channel = opened) {
          ByteBuffer bytes = body.duplicate();
          while (bytes.hasRemaining()) {
            channel.write(bytes);
          }
        }
        return publish(dir, part, base, current, names);
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(part);
        throw e instanceof FetchError f ? f : FetchError.of(ErrorCode.INTERNAL, "cannot write " + dir.resolve(current) + ": " + e);
      } finally {
        inFlight.remove(part);
      }
    }
  }

  /**
   * Blocking: gives a complete part file its final name. Unless overwriting, it never replaces a
   * file, even one made since the job listed the folder: a hard link fails if the name exists (no
   * window in which another file could be replaced), and the next suffix is tried. Where the file
   * system has no hard links, a move that refuses an existing name does it, with a short window.
   */
  private static String publish(Path dir, Path part, String base, String name, Names names) throws IOException {
    if (names.overwrite()) {
      Files.move(part, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return name;
    }
    String current = name;
    for (int tries = 0; ; tries++) {
      Path target = dir.resolve(current);
      try {
        Files.createLink(target, part);
      } catch (FileAlreadyExistsException e) {
        current = nextName(names, base, current, tries, part);
        continue;
      } catch (UnsupportedOperationException | FileSystemException e) {
        Files.move(part, target);
        return current;
      }
      try {
        Files.delete(part);
      } catch (IOException e) {
        // the file is whole under its name; a part file left beside it is only untidy
      }
      return current;
    }
  }

  /** The next name for {@code base} once {@code taken} proved to exist; past {@link #MAX_NAME_TRIES}, a failure. */
  private static String nextName(Names names, String base, String taken, int tries, Path part) {
    if (tries >= MAX_NAME_TRIES) {
      throw FetchError.of(ErrorCode.INTERNAL, "cannot name " + part + ": " + MAX_NAME_TRIES + " names taken");
    }
    return names.retake(base, taken);
  }

  private static boolean alreadyExists(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof FileAlreadyExistsException) {
        return true;
      }
    }
    return false;
  }

  private static FetchError stoppingError(Path part) {
    return FetchError.of(ErrorCode.BUSY, "stopping: " + part + " not started");
  }
}
