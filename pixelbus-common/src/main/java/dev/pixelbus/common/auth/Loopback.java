package dev.pixelbus.common.auth;

import java.util.Locale;

/**
 * Whether a configured host or a peer's address is loopback, from its text alone: no name is looked
 * up, so a name other than {@code localhost} counts as beyond loopback (the safe side for protected
 * mode), and {@code 0.0.0.0} or {@code ::} (every interface) is beyond it.
 */
public final class Loopback {
  private Loopback() {
  }

  public static boolean is(String host) {
    if (host == null) {
      return false;
    }
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) {
      return true;
    }
    if (h.startsWith("::ffff:")) {
      h = h.substring("::ffff:".length());
    }
    return h.startsWith("127.") && h.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
  }
}
