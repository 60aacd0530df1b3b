package dev.pixelbus.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pixelbus.api.ErrorCode;
import java.net.URI;
import org.junit.jupiter.api.Test;

class UrlsTest {
  @Test
  void onlyHttpAndHttpsUrlsWithAHostAreFetched() {
    assertEquals("example.org", Urls.parse(" https://example.org/a.png ").getHost());
    for (String bad : new String[] {"example.org/a.png", "ftp://example.org/a", "file:///etc/passwd", "http://", "http://[x"}) {
      FetchError e = assertThrows(FetchError.class, () -> Urls.parse(bad), bad);
      assertEquals(ErrorCode.BAD_REQUEST.code, e.failureCode(), bad + ": " + e.getMessage());
    }
  }

  @Test
  void aRelativeLocationResolvesAsRfc3986Says() {
    URI base = URI.create("http://h:8080/a/b?q=1");
    assertEquals("http://h:8080/a/c", Urls.resolve(base, "c").toString());
    assertEquals("http://h:8080/a/b?p=2", Urls.resolve(base, "?p=2").toString());
    assertEquals("http://h:8080/x", Urls.resolve(base, "/x").toString());
    assertEquals("http://other/y", Urls.resolve(base, "http://other/y").toString());
    assertEquals("http://h/login", Urls.resolve(URI.create("http://h"), "login").toString());
    assertEquals("http://h/?p=2", Urls.resolve(URI.create("http://h"), "?p=2").toString());
  }
}
