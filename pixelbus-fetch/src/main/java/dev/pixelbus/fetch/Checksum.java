package dev.pixelbus.fetch;

import dev.pixelbus.api.ErrorCode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The digest a body must have, as aria2 writes it: {@code sha-256=HEX} (also sha-1, sha-224, sha-384,
 * sha-512 and md5). A body whose digest differs fails its URL with {@link #MISMATCH} and leaves no file.
 * Pure, but for the digest it makes.
 */
public record Checksum(String algorithm, String hex) {
  /** The code of a body that is not the one asked for: the precondition the caller put on it failed. */
  public static final int MISMATCH = ErrorCode.PRECONDITION_FAILED.code;

  private static final Map<String, String> JAVA_NAMES = Map.of("sha-1", "SHA-1", "sha-224", "SHA-224",
      "sha-256", "SHA-256", "sha-384", "SHA-384", "sha-512", "SHA-512", "md5", "MD5");
  private static final Map<String, Integer> HEX_LENGTHS = Map.of("sha-1", 40, "sha-224", 56, "sha-256", 64,
      "sha-384", 96, "sha-512", 128, "md5", 32);

  /** {@code TYPE=HEX}; 400 naming what is wrong. */
  public static Checksum parse(String text) {
    int eq = text == null ? -1 : text.indexOf('=');
    if (eq < 0) {
      throw FetchError.of(ErrorCode.BAD_REQUEST, "checksum: expected TYPE=HEX such as sha-256=9f86d0…, got " + text);
    }
    String type = text.substring(0, eq).trim().toLowerCase(Locale.ROOT);
    String hex = text.substring(eq + 1).trim().toLowerCase(Locale.ROOT);
    Integer length = HEX_LENGTHS.get(type);
    if (length == null) {
      throw FetchError.of(ErrorCode.BAD_REQUEST, "checksum: unknown type " + type + "; types: "
          + new TreeSet<>(HEX_LENGTHS.keySet()));
    }
    if (hex.length() != length || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw FetchError.of(ErrorCode.BAD_REQUEST, "checksum: a " + type + " digest is " + length + " hex digits, got "
          + hex.length() + " characters (" + hex + ")");
    }
    return new Checksum(type, hex);
  }

  /** A fresh digest of this checksum's type. */
  public MessageDigest digest() {
    try {
      return MessageDigest.getInstance(JAVA_NAMES.get(algorithm));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JDK has these
    }
  }

  /** Null when the digest is the one asked for, else the failure to report. */
  public FetchError mismatch(byte[] digest) {
    String actual = HexFormat.of().formatHex(digest);
    return actual.equals(hex) ? null : FetchError.of(MISMATCH, "checksum mismatch: " + algorithm + " expected " + hex
        + ", got " + actual + " (the file was not kept)");
  }

  @Override
  public String toString() {
    return algorithm + "=" + hex;
  }
}
