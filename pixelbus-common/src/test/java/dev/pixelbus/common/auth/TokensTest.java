package dev.pixelbus.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelbus.common.auth.Tokens.Verdict;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokensTest {
  static final String ALL = "0123456789abcdef0123456789abcdef";
  static final String INFO_ONLY = "fedcba9876543210fedcba9876543210";

  private static Tokens tokens() {
    return new Tokens(AuthSettings.from(new JsonObject().put("auth", new JsonObject().put("tokens", new JsonArray()
        .add(ALL).add(new JsonObject().put("token", INFO_ONLY).put("allow", new JsonArray().add("pixelbus.image.info")))))));
  }

  @Test
  void withoutTokensEverythingIsOk() {
    Tokens none = new Tokens(AuthSettings.from(new JsonObject()));
    assertFalse(none.required());
    assertEquals(Verdict.OK, none.check(null, "pixelbus.fetch"));
  }

  @Test
  void aBearerTokenIsCheckedAndItsScopeToo() {
    Tokens t = tokens();
    assertEquals(Verdict.OK, t.check("Bearer " + ALL, "pixelbus.fetch"));
    assertEquals(Verdict.OK, t.check("bearer  " + ALL + " ", "metrics"), "the scheme in any case");
    assertEquals(Verdict.OK, t.check("Bearer " + INFO_ONLY, "pixelbus.image.info"));
    assertEquals(Verdict.NOT_PERMITTED, t.check("Bearer " + INFO_ONLY, "pixelbus.fetch"));
    assertEquals(Verdict.WRONG, t.check("Bearer " + ALL.substring(1) + "x", "pixelbus.fetch"));
    assertEquals(Verdict.WRONG, t.check("Bearer " + ALL + ALL, "pixelbus.fetch"));
  }

  @Test
  void identifyingFirstThenAskingForTheScopeAgreesWithCheck() {
    Tokens t = tokens();
    for (String authorization : new String[] {null, "Basic " + ALL, "Bearer " + ALL, "Bearer " + INFO_ONLY, "Bearer " + ALL + "x"}) {
      Tokens.Identity caller = t.identify(authorization);
      for (String scope : new String[] {"pixelbus.image.info", "pixelbus.fetch", "metrics"}) {
        Verdict checked = t.check(authorization, scope);
        assertEquals(checked == Verdict.OK, caller.may(scope), authorization + " on " + scope);
        assertEquals(checked == Verdict.NOT_PERMITTED ? Verdict.OK : checked, caller.verdict(), authorization + " on " + scope);
      }
    }
    assertEquals(Tokens.Identity.ANYONE, new Tokens(AuthSettings.from(new JsonObject())).identify(null));
  }

  @Test
  void credentialsThatAreNoBearerTokenAreMissing() {
    Tokens t = tokens();
    assertEquals(Verdict.MISSING, t.check(null, "metrics"));
    assertEquals(Verdict.MISSING, t.check("", "metrics"));
    assertEquals(Verdict.MISSING, t.check("Bearer ", "metrics"));
    assertEquals(Verdict.MISSING, t.check(ALL, "metrics"), "the token without its scheme");
    assertEquals(Verdict.MISSING, t.check("Basic " + ALL, "metrics"));
    assertNull(Tokens.bearer("Bearer"));
  }

  @Test
  void prefixScopes() {
    AuthSettings.Token token = new AuthSettings.Token(ALL, List.of("pixelbus.image.*"));
    assertTrue(token.permits("pixelbus.image.faces"));
    assertFalse(token.permits("pixelbus.fetch"));
    assertFalse(token.toString().contains(ALL), "a token's text never shows its secret");
  }

  @Test
  void weakTokensAndBadEntriesStopTheStart() {
    assertThrows(IllegalArgumentException.class, () -> AuthSettings.from(new JsonObject().put("auth",
        new JsonObject().put("tokens", new JsonArray().add("short")))));
    assertThrows(IllegalArgumentException.class, () -> AuthSettings.from(new JsonObject().put("auth",
        new JsonObject().put("tokens", new JsonArray().add(ALL + " x")))));
    assertThrows(IllegalArgumentException.class, () -> AuthSettings.from(new JsonObject().put("auth",
        new JsonObject().put("tokens", new JsonArray().add(42)))));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AuthSettings.from(new JsonObject()
        .put("auth", new JsonObject().put("tokens", new JsonArray().add("a-token-of-15ch")))));
    assertFalse(e.getMessage().contains("a-token-of-15ch"), "the message never shows a token: " + e.getMessage());
  }
}
