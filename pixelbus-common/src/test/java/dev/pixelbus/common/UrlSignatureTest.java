package dev.pixelbus.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Signed URLs: the signature of a known target, its place, rotation of keys, and every way to get it wrong. */
class UrlSignatureTest {
  private static final String TARGET = "/v1/images/resize?url=https%3A%2F%2Fexample.com%2Fa.jpg&width=300";

  @Test
  void theSignatureIsHmacSha256OfTheTargetInUrlSafeBase64() {
    // Python: base64.urlsafe_b64encode(hmac.new(b"secret", TARGET, hashlib.sha256).digest()).rstrip(b"=")
    assertEquals("2H70XbiWHC6bqeUVVQhZkjzS7VdP_5fy32AB4PTt5e0", UrlSignature.signature("secret", TARGET));
    assertEquals(TARGET + "&sig=2H70XbiWHC6bqeUVVQhZkjzS7VdP_5fy32AB4PTt5e0", UrlSignature.sign("secret", TARGET));
  }

  @Test
  void aGoodSignatureUnderAnyKeyPasses() {
    String signed = UrlSignature.sign("new-key", TARGET);
    assertNull(UrlSignature.problem(List.of("old-key", "new-key"), signed), "rotated: the new key among the old");
    assertNull(UrlSignature.problem(List.of("new-key"), signed));
  }

  @Test
  void everyWayToGetItWrongIsNamed() {
    String signed = UrlSignature.sign("secret", TARGET);
    assertEquals("sig is missing", UrlSignature.problem(List.of("secret"), TARGET));
    assertEquals("sig does not match (signed with another key, or the URL was changed)",
        UrlSignature.problem(List.of("other"), signed));
    assertEquals("sig does not match (signed with another key, or the URL was changed)",
        UrlSignature.problem(List.of("secret"), signed.replace("width=300", "width=3000")));
    assertEquals("sig must be the last parameter", UrlSignature.problem(List.of("secret"), signed + "&width=9"));
    assertEquals("sig must come after the parameters it signs",
        UrlSignature.problem(List.of("secret"), "/v1/images/resize?sig=abc"));
  }
}
