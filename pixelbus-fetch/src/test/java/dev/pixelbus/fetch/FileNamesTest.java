package dev.pixelbus.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
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
}
