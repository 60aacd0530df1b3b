package dev.pixelbus.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FileNamesTest {
  private static String name(String url) {
    return FileNames.fromUrl(URI.create(url));
  }

  @Test
  void theLastPathSegmentDecodedAndMadeSafe() {
    assertEquals("report.pdf", name("https://example.org/a/b/report.pdf?x=1#top"));
    assertEquals("index.html", name("https://example.org/"));
    assertEquals("index.html", name("https://example.org"));
    assertEquals("my file.txt", name("http://h/my%20file.txt"));
    assertEquals("_.._etc_passwd", name("http://h/..%2F..%2Fetc%2Fpasswd"));
    assertEquals("index.html", name("http://h/%2e%2e"));
    assertEquals("a_b", name("http://h/a%5Cb"));
    assertEquals("x_y", name("http://h/x%0Ay"));
    assertEquals("bad%zz", name("http://h/bad%25zz"));
  }

  @Test
  void longNamesAreCutAtACharacterBoundaryKeepingTheExtension() {
    String stem = "é".repeat(300);
    String cut = name("http://h/" + stem + ".txt");
    assertTrue(cut.endsWith(".txt"));
    assertTrue(cut.getBytes(StandardCharsets.UTF_8).length <= FileNames.MAX_BYTES);
    assertFalse(cut.contains("\uFFFD"));
  }

  @Test
  void anExtensionComesFromTheContentTypeOnlyWhenThereIsNone() {
    assertEquals("page.html", FileNames.withExtension("page", "text/html; charset=utf-8"));
    assertEquals("data.csv", FileNames.withExtension("data.csv", "text/html"));
    assertEquals("blob", FileNames.withExtension("blob", "application/x-unknown"));
    assertEquals("blob", FileNames.withExtension("blob", null));
  }

  @Test
  void takenNamesGetANumericSuffix() {
    Set<String> taken = Set.of("a.txt", "a-1.txt", "b");
    assertEquals("a-2.txt", FileNames.unique("a.txt", taken::contains));
    assertEquals("b-1", FileNames.unique("b", taken::contains));
    assertEquals("c.txt", FileNames.unique("c.txt", taken::contains));
  }

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

  @Test
  void aRelativeLocationResolvesAsRfc3986Says() {
    java.net.URI base = java.net.URI.create("http://h:8080/a/b?q=1");
    assertEquals("http://h:8080/a/c", Downloader.resolve(base, "c").toString());
    assertEquals("http://h:8080/a/b?p=2", Downloader.resolve(base, "?p=2").toString());
    assertEquals("http://h:8080/x", Downloader.resolve(base, "/x").toString());
    assertEquals("http://other/y", Downloader.resolve(base, "http://other/y").toString());
    assertEquals("http://h/login", Downloader.resolve(java.net.URI.create("http://h"), "login").toString());
    assertEquals("http://h/?p=2", Downloader.resolve(java.net.URI.create("http://h"), "?p=2").toString());
  }
}
