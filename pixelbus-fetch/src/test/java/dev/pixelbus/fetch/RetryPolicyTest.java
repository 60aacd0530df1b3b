package dev.pixelbus.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  @Test
  void retriesBackOffExponentiallyWithJitterAndHonourRetryAfter() {
    RetryPolicy policy = new RetryPolicy(3, 100, 1000, 5000);
    SplittableRandom random = new SplittableRandom(1);
    Instant now = Instant.parse("2026-11-26T10:00:00Z");
    for (int attempt = 0; attempt < 3; attempt++) {
      long d = policy.delayMs(attempt, null, random, now);
      assertTrue(d >= 0 && d <= Math.min(1000, 100L << attempt), attempt + ": " + d);
    }
    assertEquals(-1, policy.delayMs(3, null, random, now), "out of retries");
    assertEquals(2000, policy.delayMs(0, "2", random, now));
    assertEquals(3000, policy.delayMs(0, "Thu, 26 Nov 2026 10:00:03 GMT", random, now));
    assertEquals(-1, policy.delayMs(0, "3600", random, now), "longer than we wait");
    assertTrue(RetryPolicy.retryable(503) && RetryPolicy.retryable(429));
    assertFalse(RetryPolicy.retryable(404) || RetryPolicy.retryable(403));
  }
}
