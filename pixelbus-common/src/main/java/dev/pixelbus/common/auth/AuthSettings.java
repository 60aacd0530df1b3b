package dev.pixelbus.common.auth;

import static dev.pixelbus.common.Checks.require;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code auth} section of the configuration, checked at start.
 *
 * @param tokens          who may call the network surfaces (HTTP {@code /v1} and {@code /metrics}, both
 *                        bridges); none means no token is asked for, which protected mode allows only on
 *                        loopback
 * @param allowAnonymous  the operator means to serve beyond loopback without tokens
 * @param maxFailures     bad tokens one client address may send within {@code failureWindowMs}; past it the
 *                        address is refused (429) until the window has passed
 * @param failureWindowMs the window of {@code maxFailures}
 */
public record AuthSettings(List<Token> tokens, boolean allowAnonymous, int maxFailures, long failureWindowMs) {
  /** The shortest token taken: a short one could be guessed within the failure limit's patience. */
  public static final int MIN_TOKEN_LENGTH = 16;

  /**
   * One token, and what it may call: every surface when {@code allow} is empty, else the scopes it
   * names (an event-bus address such as {@code pixelbus.image.info}, {@code metrics}, or a prefix
   * ending in {@code *}, as {@code pixelbus.image.*}). Its {@code toString} never shows the secret.
   */
  public record Token(String secret, List<String> allow) {
    public Token {
      require(secret != null && secret.length() >= MIN_TOKEN_LENGTH && secret.strip().equals(secret)
              && secret.chars().allMatch(c -> c > 0x20 && c < 0x7f),
          "auth.tokens: a token must be at least " + MIN_TOKEN_LENGTH + " printable ASCII characters without spaces"
              + " (openssl rand -hex 32 makes one)");
      allow = List.copyOf(allow);
    }

    /** Whether this token may call {@code scope}. */
    public boolean permits(String scope) {
      if (allow.isEmpty()) {
        return true;
      }
      for (String pattern : allow) {
        if (pattern.endsWith("*") ? scope.startsWith(pattern.substring(0, pattern.length() - 1)) : scope.equals(pattern)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public String toString() {
      return "Token[" + (allow.isEmpty() ? "everything" : String.join(", ", allow)) + "]";
    }
  }

  public AuthSettings {
    tokens = List.copyOf(tokens);
    require(maxFailures >= 1, "auth.maxFailures must be 1 or more");
    require(failureWindowMs > 0, "auth.failureWindowMs must be positive");
  }

  /** Whether the surfaces ask for a token. */
  public boolean required() {
    return !tokens.isEmpty();
  }

  /**
   * Reads {@code auth}: {@code tokens} is a list of strings (each may call everything) or of
   * {@code {"token": "...", "allow": ["pixelbus.image.*"]}}. {@code PIXELBUS_AUTH_TOKENS} sets the
   * list as comma-separated strings.
   */
  public static AuthSettings from(JsonObject config) {
    JsonObject c = config.getJsonObject("auth", new JsonObject());
    List<Token> tokens = new ArrayList<>();
    for (Object entry : c.getJsonArray("tokens", new JsonArray())) {
      if (entry instanceof String s) {
        tokens.add(new Token(s, List.of()));
      } else if (entry instanceof JsonObject o && o.getValue("token") instanceof String s) {
        List<String> allow = new ArrayList<>();
        for (Object a : o.getJsonArray("allow", new JsonArray())) {
          require(a instanceof String, "auth.tokens: allow must be a list of strings");
          allow.add((String) a);
        }
        require(!allow.isEmpty() || !o.containsKey("allow"), "auth.tokens: an empty allow list would permit nothing");
        tokens.add(new Token(s, allow));
      } else {
        throw new IllegalArgumentException("auth.tokens: each entry must be a string or {\"token\": ..., \"allow\": [...]}");
      }
    }
    return new AuthSettings(tokens, c.getBoolean("allowAnonymous", false), c.getInteger("maxFailures", 10),
        c.getLong("failureWindowMs", 60_000L));
  }
}
