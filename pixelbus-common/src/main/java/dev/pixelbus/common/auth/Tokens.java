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
   * Who a request's credentials name, apart from what it calls (the bridge front authenticates a frame,
   * then authorises its address).
   *
   * @param verdict {@link Verdict#OK}, {@link Verdict#MISSING} or {@link Verdict#WRONG}
   * @param token   the configured token they carry; null when none is (or none is configured)
   */
  public record Identity(Verdict verdict, AuthSettings.Token token) {
    /** No tokens are configured, or none is asked of this request: anyone may call anything. */
    public static final Identity ANYONE = new Identity(Verdict.OK, null);

    /** Whether this caller may call {@code scope}: an authenticated one, within what its token allows. */
    public boolean may(String scope) {
      return verdict == Verdict.OK && (token == null || token.permits(scope));
    }
  }

  /**
   * @param authorization the {@code Authorization} header (HTTP) or {@code headers.authorization}
   *                      (bridge frames), or null
   * @param scope         what is called: an event-bus address, or {@code metrics}
   */
  public Verdict check(String authorization, String scope) {
    Identity caller = identify(authorization);
    if (caller.verdict() != Verdict.OK) {
      return caller.verdict();
    }
    return caller.may(scope) ? Verdict.OK : Verdict.NOT_PERMITTED;
  }

  /** Authenticates alone: which configured token {@code authorization} carries (see {@link #check}). */
  public Identity identify(String authorization) {
    if (tokens.isEmpty()) {
      return Identity.ANYONE;
    }
    String given = bearer(authorization);
    if (given == null) {
      return new Identity(Verdict.MISSING, null);
    }
    byte[] digest = sha256(given);
    int match = -1;
    for (int i = 0; i < digests.length; i++) {
      if (MessageDigest.isEqual(digest, digests[i])) {
        match = i;
      }
    }
    return match < 0 ? new Identity(Verdict.WRONG, null) : new Identity(Verdict.OK, tokens.get(match));
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
