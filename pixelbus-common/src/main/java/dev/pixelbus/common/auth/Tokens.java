package dev.pixelbus.common.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Checks an {@code Authorization} value against the configured tokens, in time that does not depend
 * on how much of a token was right: both sides are hashed to the same length and every token is
 * compared, with no early exit.
 */
public final class Tokens {
  /** What a request's credentials come to. */
  public enum Verdict {
    /** No tokens are configured, or a configured token that may call the scope. */
    OK,
    /** No {@code Bearer} credentials: 401. */
    MISSING,
    /** A token that is none of the configured ones: 401, and counted as a failure. */
    WRONG,
    /** A right token that may not call this scope: 403. */
    NOT_PERMITTED
  }

  private static final String BEARER = "bearer ";

  private final List<AuthSettings.Token> tokens;
  private final byte[][] digests;

  public Tokens(AuthSettings settings) {
    this.tokens = settings.tokens();
    this.digests = new byte[tokens.size()][];
    for (int i = 0; i < tokens.size(); i++) {
      digests[i] = sha256(tokens.get(i).secret());
    }
  }

  public boolean required() {
    return !tokens.isEmpty();
  }

  /**
   * @param authorization the {@code Authorization} header (HTTP) or {@code headers.authorization}
   *                      (bridge frames), or null
   * @param scope         what is called: an event-bus address, or {@code metrics}
   */
  public Verdict check(String authorization, String scope) {
    if (tokens.isEmpty()) {
      return Verdict.OK;
    }
    String given = bearer(authorization);
    if (given == null) {
      return Verdict.MISSING;
    }
    byte[] digest = sha256(given);
    int match = -1;
    for (int i = 0; i < digests.length; i++) {
      if (MessageDigest.isEqual(digest, digests[i])) {
        match = i;
      }
    }
    if (match < 0) {
      return Verdict.WRONG;
    }
    return tokens.get(match).permits(scope) ? Verdict.OK : Verdict.NOT_PERMITTED;
  }

  /** The token of {@code Bearer TOKEN} (the scheme in any case), or null when that is not what it is. */
  static String bearer(String authorization) {
    if (authorization == null || authorization.length() <= BEARER.length()
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return null;
    }
    String token = authorization.substring(BEARER.length()).strip();
    return token.isEmpty() ? null : token;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
