package dev.pixelbus.common;

import dev.pixelbus.api.PixelbusException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The ids of long jobs (batches, fetches): a client may choose its own, so that it can tell its
 * progress events from others' before any reply has come; otherwise one is made.
 */
public final class JobIds {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private JobIds() {
  }

  /** The id a request asked for, checked, or a new one when it asked for none. */
  public static String of(String requested) {
    if (requested == null) {
      return UUID.randomUUID().toString();
    }
    if (!ID.matcher(requested).matches()) {
      throw PixelbusException.badRequest("jobId must be 1 to 64 letters, digits, '.', '_' or '-', not '"
          + (requested.length() > 80 ? requested.substring(0, 80) + "…" : requested) + "'");
    }
    return requested;
  }
}
