package dev.pixelbus.common;

/** The one check every settings record makes of its values at start: a bad value stops the start with its name. */
public final class Checks {
  private Checks() {
  }

  public static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
