package dev.pixelbus.web;

import java.util.List;
import java.util.Locale;

/**
 * Which pages may call the API and the bridge from a browser: the server's own page (same origin),
 * and the origins of {@code http.cors.allowedOrigins}. A request without an {@code Origin} header is
 * no browser's cross-origin call (curl, Node, Python) and passes; the token is what guards it.
 * Without this check any web page the operator opens could post to a pixelbus on its loopback.
 */
final class Origins {
  private final List<String> allowed;
  private final boolean any;

  Origins(List<String> allowed) {
    this.allowed = allowed.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
    this.any = allowed.contains("*");
  }

  /** Whether a request with this {@code Origin} may be served. */
  boolean allows(String origin, String scheme, String authority) {
    return origin == null || sameOrigin(origin, scheme, authority) || crossAllowed(origin);
  }

  /** Whether it is another origin that the configuration lets in (and so needs CORS headers). */
  boolean crossAllowed(String origin) {
    return origin != null && !origin.equals("null") && (any || allowed.contains(origin.toLowerCase(Locale.ROOT)));
  }

  static boolean sameOrigin(String origin, String scheme, String authority) {
    return authority != null && scheme != null && origin.equalsIgnoreCase(scheme + "://" + authority);
  }
}
