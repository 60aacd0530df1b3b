package dev.pixelbus.web;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * {@code X-Request-Id}: the client's own when it is a plain token (so that a proxy's id follows the
 * request through), else one made here. Plain means 1–128 letters, digits and {@code ._:-}: the id
 * goes into log lines and a reply header, where anything else could forge a line or a header.
 */
final class RequestIds {
  static final String HEADER = "X-Request-Id";
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private RequestIds() {
  }

  static String take(String given) {
    if (given != null && PLAIN.matcher(given).matches()) {
      return given;
    }
    return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
  }
}
