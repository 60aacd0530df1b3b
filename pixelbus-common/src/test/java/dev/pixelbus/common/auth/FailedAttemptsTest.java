package dev.pixelbus.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FailedAttemptsTest {
  @Test
  void pastTheLimitAnAddressWaitsUntilItsOldestFailureLeavesTheWindow() {
    FailedAttempts f = new FailedAttempts(3, 1000);
    f.failed("a", 0);
    f.failed("a", 100);
    assertEquals(0, f.retryAfterMs("a", 200));
    f.failed("a", 200);
    assertEquals(800, f.retryAfterMs("a", 200));
    assertEquals(0, f.retryAfterMs("b", 200), "other addresses are not touched");
    assertEquals(0, f.retryAfterMs("a", 1000), "the oldest has left the window");
    assertEquals(0, f.retryAfterMs("a", 5000));
    assertEquals(0, f.addresses(), "an address whose failures all expired is forgotten");
  }

  @Test
  void boundedInAddresses() {
    FailedAttempts f = new FailedAttempts(3, 60_000);
    for (int i = 0; i < FailedAttempts.MAX_ADDRESSES + 500; i++) {
      f.failed("10.0." + (i >> 8) + "." + (i & 255), i);
    }
    assertTrue(f.addresses() <= FailedAttempts.MAX_ADDRESSES, "addresses: " + f.addresses());
  }
}
