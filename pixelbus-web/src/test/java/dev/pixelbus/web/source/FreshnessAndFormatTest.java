package dev.pixelbus.web.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How long a source stays fresh, read from its headers as a shared cache reads them; and format=auto. */
class FreshnessAndFormatTest {
  private static final long NOW = 1_700_000_000_000L;

  @Test
  void sharedMaxAgeThenMaxAgeThenExpiresThenTheDefault() {
    assertEquals(NOW + 60_000, Freshness.freshUntil(NOW, "public, max-age=60", null, null, 3600));
    assertEquals(NOW + 10_000, Freshness.freshUntil(NOW, "max-age=60, s-maxage=10", null, null, 3600),
        "we are a shared cache: s-maxage wins");
    assertEquals(NOW + 3_600_000, Freshness.freshUntil(NOW, null, null, null, 3600), "nothing said: the default");
    // Expires is read against the source's own Date: a clock apart from ours does not matter.
    assertEquals(NOW + 120_000, Freshness.freshUntil(NOW, null, "Tue, 14 Nov 2023 22:15:20 GMT",
        "Tue, 14 Nov 2023 22:13:20 GMT", 3600));
    assertEquals(NOW, Freshness.freshUntil(NOW, null, "0", null, 3600), "an Expires that is no date: expired");
  }

  @Test
  void noStoreAndPrivateAreNotKeptNoCacheIsAskedEveryTime() {
    assertEquals(Freshness.NO_STORE, Freshness.freshUntil(NOW, "no-store", null, null, 3600));
    assertEquals(Freshness.NO_STORE, Freshness.freshUntil(NOW, "private, max-age=600", null, null, 3600));
    assertEquals(NOW, Freshness.freshUntil(NOW, "no-cache", null, null, 3600));
    assertEquals(NOW, Freshness.freshUntil(NOW, "max-age=abc", null, null, 3600), "a bad number is 0");
  }

  @Test
  void autoChoosesWebpOnlyWhenItIsAccepted() {
    assertTrue(FormatChoice.acceptsWebp("image/avif,image/webp,*/*"));
    assertTrue(FormatChoice.acceptsWebp("IMAGE/WEBP;q=0.5"));
    assertFalse(FormatChoice.acceptsWebp("image/webp;q=0"));
    assertFalse(FormatChoice.acceptsWebp("image/*,*/*;q=0.8"), "image/* is no promise of WebP");
    assertFalse(FormatChoice.acceptsWebp(null));
    assertEquals("webp", FormatChoice.choose("auto", "image/webp", true));
    assertEquals("jpg", FormatChoice.choose("auto", "image/png", true));
    assertEquals("png", FormatChoice.choose(null, null, false));
    assertEquals("png", FormatChoice.choose("png", "image/webp", true), "an explicit format is kept");
    assertEquals("auto:webp", FormatChoice.cacheClass(null, "image/webp"));
    assertEquals("auto", FormatChoice.cacheClass("auto", "image/png"));
    assertEquals("jpg", FormatChoice.cacheClass("jpg", "image/webp"));
  }
}
