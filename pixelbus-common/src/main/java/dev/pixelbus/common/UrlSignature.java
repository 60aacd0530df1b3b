package dev.pixelbus.common;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed image URLs, as imgproxy signs them: {@code sig} is the URL-safe base64 (no padding) of
 * HMAC-SHA256(key, the request target as sent up to {@code &sig=}), and it must be the last parameter, so
 * nothing can be added after it. Several keys may be in use at once, so that a new one can be rolled out
 * before the old one is dropped. Pure.
 */
public final class UrlSignature {
  private static final String PARAM = "&sig=";

  private UrlSignature() {
  }

  /** {@code target} (a path and its query: {@code /v1/images/resize?url=...&width=300}) with its signature appended. */
  public static String sign(String key, String target) {
    return target + (target.indexOf('?') < 0 ? "?" : "&") + "sig=" + signature(key, target.indexOf('?') < 0
        ? target + "?" : target);
  }

  /** The signature of {@code covered}, the target up to {@code &sig=}. */
  public static String signature(String key, String covered) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(covered.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /** Why a request target's signature is not good, or null when it is (under one of {@code keys}). */
  public static String problem(List<String> keys, String target) {
    int at = target.lastIndexOf(PARAM);
    if (at < 0) {
      return target.contains("?sig=") ? "sig must come after the parameters it signs" : "sig is missing";
    }
    String sig = target.substring(at + PARAM.length());
    if (sig.isEmpty() || sig.indexOf('&') >= 0 || sig.indexOf('#') >= 0) {
      return "sig must be the last parameter";
    }
    byte[] given = sig.getBytes(StandardCharsets.US_ASCII);
    String covered = target.substring(0, at);
    boolean good = false;
    for (String key : keys) {
      // Every key is tried, whatever matched: the time taken says nothing of which one, or how close.
      good |= MessageDigest.isEqual(signature(key, covered).getBytes(StandardCharsets.US_ASCII), given);
    }
    return good ? null : "sig does not match (signed with another key, or the URL was changed)";
  }
}
