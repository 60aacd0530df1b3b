package dev.pixelbus.fetch;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.random.RandomGenerator;

/**
 * When a failed attempt is tried again, and after how long: exponential backoff with full jitter,
 * or the server's Retry-After when it gives one (capped).
 *
 * @param retries      attempts after the first
 * @param baseMs       the first backoff's upper bound
 * @param maxMs        the largest backoff
 * @param maxRetryAfterMs the longest Retry-After honoured; a longer one fails the URL instead of waiting
 */
public record RetryPolicy(int retries, long baseMs, long maxMs, long maxRetryAfterMs) {

  /** Connection errors, 5xx and 429 are worth another try; other 4xx are the client's fault. */
  public static boolean retryable(int status) {
    return status == 429 || status >= 500;
  }

  /**
   * @param attempt    the attempt that just failed, from 0
   * @param retryAfter the response's Retry-After header, or null
   * @return the pause before the next attempt in ms, or -1 when there is none (out of retries, or
   *     Retry-After asks for more than {@code maxRetryAfterMs})
   */
  public long delayMs(int attempt, String retryAfter, RandomGenerator random, Instant now) {
    if (attempt >= retries) {
      return -1;
    }
    long asked = retryAfterMs(retryAfter, now);
    if (asked >= 0) {
      return asked <= maxRetryAfterMs ? asked : -1;
    }
    long cap = Math.min(maxMs, baseMs << Math.min(attempt, 30));
    return random.nextLong(cap + 1);
  }

  /** Retry-After in ms: delta-seconds or an HTTP date; -1 when absent or unreadable. */
  static long retryAfterMs(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return -1;
    }
    String v = value.trim();
    try {
      return Math.max(0, Long.parseLong(v)) * 1000;
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return Math.max(0, Duration.between(now, at).toMillis());
      } catch (DateTimeParseException notDate) {
        return -1;
      }
    }
  }
}
