package dev.pixelbus.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Lists of URLs: plain, and in aria2's input format; checksums and headers as they are written there. */
class InputFileTest {
  static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  @Test
  void aPlainListIsOneUrlALine() {
    List<FetchItem> items = InputFile.parse("# the course's list\nhttp://a/1\n\n  \nhttp://a/2\r\nhttp://a/3", Map.of());
    assertEquals(List.of("http://a/1", "http://a/2", "http://a/3"), items.stream().map(FetchItem::url).toList());
    assertNull(items.get(0).out());
  }

  @Test
  void aria2OptionsFollowTheirUrl() {
    String text = String.join("\n",
        "http://a/ship.jpg\thttp://mirror/ship.jpg",
        "  out=ship-copy.jpg",
        "  checksum=sha-256=" + SHA.toUpperCase(),
        "\theader=X-Token: abc",
        "  header=Accept: image/*",
        "  # a comment among the options",
        "http://a/two",
        "");
    List<FetchItem> items = InputFile.parse(text, Map.of("User-Agent", "job"));
    assertEquals(2, items.size());
    FetchItem ship = items.get(0);
    assertEquals("http://a/ship.jpg", ship.url(), "the first of the mirrors");
    assertEquals("ship-copy.jpg", ship.out());
    assertEquals(new Checksum("sha-256", SHA), ship.checksum());
    assertEquals(Map.of("User-Agent", "job", "X-Token", "abc", "Accept", "image/*"), ship.headers());
    assertEquals(Map.of("User-Agent", "job"), items.get(1).headers());
    assertNull(items.get(1).checksum());
  }

  @Test
  void anOptionItDoesNotTakeNamesItsLine() {
    FetchError e = assertThrows(FetchError.class, () -> InputFile.parse("http://a/1\n  split=5\n", Map.of()));
    assertEquals(400, e.failureCode());
    assertEquals("input file, line 2: option split is not taken (out, checksum, header)", e.getMessage());
    assertTrue(assertThrows(FetchError.class, () -> InputFile.parse("  out=x\nhttp://a", Map.of())).getMessage()
        .contains("line 1: an option before any URL"));
    assertTrue(assertThrows(FetchError.class, () -> InputFile.parse("http://a\n  out=../etc/passwd", Map.of()))
        .getMessage().contains("line 2: out: ../etc/passwd is not a plain file name"));
    assertTrue(assertThrows(FetchError.class, () -> InputFile.parse("http://a\n  checksum=sha-256=abc", Map.of()))
        .getMessage().contains("a sha-256 digest is 64 hex digits"));
    assertTrue(assertThrows(FetchError.class, () -> InputFile.parse("http://a\n  header=Host: evil", Map.of()))
        .getMessage().contains("Host is set by the client itself"));
  }

  @Test
  void checksumsAreAria2s() {
    assertEquals("md5=d41d8cd98f00b204e9800998ecf8427e", Checksum.parse("MD5=D41D8CD98F00B204E9800998ECF8427E").toString());
    assertTrue(assertThrows(FetchError.class, () -> Checksum.parse("crc32=abcd")).getMessage().contains("unknown type crc32"));
    assertTrue(assertThrows(FetchError.class, () -> Checksum.parse(SHA)).getMessage().contains("expected TYPE=HEX"));
    Checksum empty = Checksum.parse("sha-1=da39a3ee5e6b4b0d3255bfef95601890afd80709");
    assertNull(empty.mismatch(empty.digest().digest(new byte[0])));
    FetchError wrong = empty.mismatch(empty.digest().digest(new byte[] {1}));
    assertEquals(412, wrong.failureCode());
    assertTrue(wrong.getMessage().startsWith("checksum mismatch: sha-1 expected da39a3ee"), wrong.getMessage());
  }
}
