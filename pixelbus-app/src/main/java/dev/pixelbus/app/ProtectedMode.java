package dev.pixelbus.app;

import dev.pixelbus.bridge.BridgeSettings;
import dev.pixelbus.common.auth.AuthSettings;
import dev.pixelbus.common.auth.Loopback;
import dev.pixelbus.echo.EchoSettings;
import dev.pixelbus.web.HttpSettings;
import dev.pixelbus.web.source.SourceSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * Protected mode, as Redis has it: a server that listens beyond loopback must ask for credentials,
 * unless its operator says that it means not to. The HTTP API, the page's bridge and the TCP bridge
 * need {@code auth.tokens} there (or {@code auth.allowAnonymous: true}); echo, which has no
 * credentials by nature, needs {@code echo.public: true}; an anonymous HTTP API there that fetches source URLs
 * needs them signed ({@code http.sources.signingKeys}).
 */
final class ProtectedMode {
  private ProtectedMode() {
  }

  /**
   * @return the listeners that serve beyond loopback (for a warning when they do so anonymously)
   * @throws IllegalArgumentException one line that names the setting to change
   */
  static List<String> check(AuthSettings auth, HttpSettings http, SourceSettings sources, BridgeSettings bridge,
                            EchoSettings echo) {
    List<String> open = new ArrayList<>();
    if (http.enabled() && !Loopback.is(http.host())) {
      open.add("http.host " + http.host());
    }
    if (bridge.enabled() && !Loopback.is(bridge.host())) {
      open.add("bridge.host " + bridge.host());
    }
    if (!open.isEmpty() && !auth.required() && !auth.allowAnonymous()) {
      throw new IllegalArgumentException("protected mode: " + String.join(" and ", open)
          + " would serve beyond loopback with no credentials: set auth.tokens (or PIXELBUS_AUTH_TOKENS) to the tokens"
          + " clients must send, or auth.allowAnonymous: true if anyone who reaches the port may use it");
    }
    // An anonymous server beyond loopback that fetches any source for anyone is an open proxy and a free resizer.
    if (http.enabled() && !Loopback.is(http.host()) && !auth.required() && sources.enabled() && !sources.signed()) {
      throw new IllegalArgumentException("protected mode: http.host " + http.host() + " would fetch and resize any"
          + " source URL for anyone (GET /v1/images/OP?url=): set http.sources.signingKeys (or"
          + " PIXELBUS_HTTP_SOURCES_SIGNING_KEYS) to sign the URLs you publish, or auth.tokens, or http.sources.enabled:"
          + " false");
    }
    if (echo.enabled() && !Loopback.is(echo.host())) {
      if (!echo.publicAccess()) {
        throw new IllegalArgumentException("protected mode: echo.host " + echo.host() + " would serve beyond loopback,"
            + " and echo takes no credentials: set echo.public: true to serve it there (auth.tokens do not cover it)");
      }
      open.add("echo.host " + echo.host());
    }
    return auth.required() ? List.of() : open;
  }
}
