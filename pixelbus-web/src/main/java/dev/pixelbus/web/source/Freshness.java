package dev.pixelbus.web.source;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * How long a source stays fresh, as a shared cache reads its headers (RFC 9111): {@code s-maxage}, then
 * {@code max-age}, then {@code Expires} (against the source's {@code Date}); without any, the configured
 * {@code http.cache.sourceTtlSeconds}. {@code no-store} and {@code private} mean: do not keep it;
 * {@code no-cache}: keep it, but ask the source again every time. Pure.
 */
public final class Freshness {
  /** Do not keep the result. */
  public static final long NO_STORE = -1;

  private Freshness() {
  }

  /** Until when (epoch ms) a source fetched at {@code nowMs} is fresh; {@link #NO_STORE} when it may not be kept. */
  public static long freshUntil(long nowMs, String cacheControl, String expires, String date, long defaultTtlSeconds) {
    Long maxAge = null;
    Long sharedMaxAge = null;
    if (cacheControl != null) {
      for (String directive : cacheControl.toLowerCase(Locale.ROOT).split(",")) {
        String d = directive.trim();
        if (d.equals("no-store") || d.equals("private")) {
          return NO_STORE;
        }
        if (d.equals("no-cache")) {
          return nowMs;
        }
        if (d.startsWith("s-maxage=")) {
          sharedMaxAge = seconds(d.substring(9));
        } else if (d.startsWith("max-age=")) {
          maxAge = seconds(d.substring(8));
        }
      }
    }
    Long age = sharedMaxAge != null ? sharedMaxAge : maxAge;
    if (age != null) {
      return nowMs + age * 1000;
    }
    if (expires != null) {
      Long until = httpDate(expires);
      if (until == null) {
        return nowMs; // an Expires that is not a date means already expired
      }
      Long origin = date == null ? null : httpDate(date);
      return nowMs + (until - (origin == null ? nowMs : origin));
    }
    return nowMs + defaultTtlSeconds * 1000;
  }

  private static Long seconds(String value) {
    try {
      return Math.max(0, Long.parseLong(value.trim().replace("\"", "")));
    } catch (NumberFormatException e) {
      return 0L;
    }
  }

  private static Long httpDate(String value) {
    try {
      return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
