package dev.pixelbus.image.chunk;

import dev.pixelbus.api.ErrorCode;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.common.PathPolicy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/** Reading a batch's input files and writing its outputs: blocking, for worker threads. */
public final class BatchFiles {
  private BatchFiles() {
  }

  /**
   * Reads a file that a folder listing found. It is opened without following links, which costs
   * nothing; a symbolic link is then resolved and confined to the roots like any request's path.
   */
  public static byte[] readListed(Path file, PathPolicy paths, long maxBytes) {
    try (SeekableByteChannel ch = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      long size = ch.size();
      checkSize(size, maxBytes, file.getFileName().toString());
      ByteBuffer buf = ByteBuffer.allocate((int) size);
      while (buf.hasRemaining() && ch.read(buf) >= 0) {
        // a file that shrinks while it is read ends early; the decoder then sees a truncated image
      }
      return buf.position() == size ? buf.array() : Arrays.copyOf(buf.array(), buf.position());
    } catch (NoSuchFileException e) {
      throw new PixelbusException(ErrorCode.NOT_FOUND, "no such file: " + file.getFileName() + " (removed during the batch?)");
    } catch (AccessDeniedException e) {
      throw new PixelbusException(ErrorCode.FORBIDDEN, "cannot read " + file.getFileName() + ": permission denied");
    } catch (IOException e) {
      if (Files.isSymbolicLink(file)) {
        return readConfined(file.toString(), paths, maxBytes);
      }
      throw new PixelbusException(ErrorCode.NOT_FOUND, "cannot read " + file.getFileName() + ": " + e.getMessage());
    }
  }

  /** Reads a path a request named, confined to the input roots. */
  public static byte[] readConfined(String raw, PathPolicy paths, long maxBytes) {
    Path path = paths.resolveInput(raw);
    try {
      checkSize(Files.size(path), maxBytes, raw);
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new PixelbusException(ErrorCode.NOT_FOUND, "cannot read " + raw + ": " + e.getMessage());
    }
  }

  public static void checkSize(long size, long maxBytes, String what) {
    if (size > maxBytes) {
      throw new PixelbusException(ErrorCode.TOO_LARGE, String.format("%s is %d bytes; the limit is %d bytes (image.maxInputBytes)",
          what, size, maxBytes));
    }
  }

  /**
   * Writes beside the target and renames, so no reader ever sees a half-written image. A plain
   * FileChannel and no clean-up call on success: the Files.write route cost twice as much per tile.
   * CREATE_NEW (not createTempFile, whose 0600 mode would stick) gives the umask's mode.
   */
  public static void writeAtomically(Path target, byte[] data) {
    Path tmp = target.resolveSibling("." + target.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".part");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(data);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the write failed already; that is the error to report
      }
      throw new PixelbusException(ErrorCode.INTERNAL, "cannot write " + target + ": " + e.getMessage());
    }
  }
}
