package dev.pixelbus.fetch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a download finds on disk before it starts, and leaves for the next run: the part file of a
 * download to resume ({@code NAME.part}, with the validator of the response it came from in
 * {@code NAME.part.validator}), or the file to revalidate (its modification time, set from the
 * response's Last-Modified, and its ETag in the extended attribute {@code user.pixelbus.etag} where
 * the file system keeps them). Blocking: called on a worker thread.
 */
record OnDisk(long partBytes, String validator, long fileBytes, Instant fileModified, String fileEtag) {
  static final OnDisk NOTHING = new OnDisk(-1, null, -1, null, null);
  static final String VALIDATOR = ".validator";
  private static final String ETAG_ATTRIBUTE = "pixelbus.etag";
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");
  private static final Pattern UNSATISFIED = Pattern.compile("bytes\\s+\\*/(\\d+)");

  static OnDisk read(Path dir, String name, boolean resume, boolean conditional) throws IOException {
    long partBytes = -1;
    String validator = null;
    Path part = dir.resolve(name + Names.PART);
    if (resume && Files.isRegularFile(part)) {
      partBytes = Files.size(part);
      Path v = dir.resolve(name + Names.PART + VALIDATOR);
      validator = Files.isRegularFile(v) ? Files.readString(v, StandardCharsets.UTF_8).strip() : null;
    }
    long fileBytes = -1;
    Instant modified = null;
    String etag = null;
    Path file = dir.resolve(name);
    if (conditional && Files.isRegularFile(file)) {
      fileBytes = Files.size(file);
      modified = Files.getLastModifiedTime(file).toInstant();
      etag = readEtag(file);
    }
    return new OnDisk(partBytes, validator == null || validator.isEmpty() ? null : validator, fileBytes, modified, etag);
  }

  /** A part to resume: one with bytes in it and the validator that says whether the rest is of the same body. */
  boolean resumable() {
    return partBytes > 0 && validator != null;
  }

  /** The validator of a response for If-Range: a strong ETag, else Last-Modified; null when it has neither. */
  static String validatorOf(String etag, String lastModified) {
    if (etag != null && !etag.isBlank() && !etag.trim().startsWith("W/")) {
      return etag.trim();
    }
    return lastModified == null || lastModified.isBlank() ? null : lastModified.trim();
  }

  static void writeValidator(Path dir, String name, String validator) throws IOException {
    Path v = dir.resolve(name + Names.PART + VALIDATOR);
    if (validator == null) {
      Files.deleteIfExists(v);
    } else {
      Files.writeString(v, validator, StandardCharsets.UTF_8);
    }
  }

  static void forgetPart(Path dir, String name) throws IOException {
    Files.deleteIfExists(dir.resolve(name + Names.PART));
    Files.deleteIfExists(dir.resolve(name + Names.PART + VALIDATOR));
  }

  /** After a file got its final name: its time from Last-Modified and its ETag kept, for the next conditional fetch. */
  static void stamp(Path file, String lastModified, String etag) {
    try {
      if (lastModified != null) {
        Files.setLastModifiedTime(file, FileTime.from(ZonedDateTime.parse(lastModified.trim(),
            DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()));
      }
      UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
      if (etag != null && view != null) {
        view.write(ETAG_ATTRIBUTE, StandardCharsets.UTF_8.encode(etag.trim()));
      }
    } catch (IOException | RuntimeException e) {
      // Best effort: without them the next conditional fetch sends what it has (or nothing) and gets a 200.
    }
  }

  private static String readEtag(Path file) {
    try {
      UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
      if (view == null || !view.list().contains(ETAG_ATTRIBUTE)) {
        return null;
      }
      ByteBuffer b = ByteBuffer.allocate(view.size(ETAG_ATTRIBUTE));
      view.read(ETAG_ATTRIBUTE, b);
      b.flip();
      return StandardCharsets.UTF_8.decode(b).toString();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  static String httpDate(Instant t) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(t.atZone(ZoneOffset.UTC));
  }

  /** The first byte of a 206's Content-Range ({@code bytes 100-199/200}), and the total; null if it has none. */
  static long[] contentRange(String header) {
    Matcher m = header == null ? null : CONTENT_RANGE.matcher(header.trim());
    if (m == null || !m.matches()) {
      return null;
    }
    return new long[] {Long.parseLong(m.group(1)), m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3))};
  }

  /** The total of a 416's Content-Range ({@code bytes *}{@code /200}), or -1. */
  static long unsatisfiedTotal(String header) {
    Matcher m = header == null ? null : UNSATISFIED.matcher(header.trim());
    return m != null && m.matches() ? Long.parseLong(m.group(1)) : -1;
  }
}
