package dev.pixelbus.fetch;

import dev.pixelbus.api.ErrorCode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** The URLs of a fetch: checked before anything is sent, and redirects resolved as browsers do. Pure. */
final class Urls {
  private Urls() {
  }

  /** Checks a URL before anything is sent: http or https, with a host. */
  static URI parse(String raw) {
    URI uri;
    try {
      uri = new URI(raw.trim());
    } catch (URISyntaxException e) {
      throw FetchError.of(ErrorCode.BAD_REQUEST, "not a URL: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw FetchError.of(ErrorCode.BAD_REQUEST,
          scheme.isEmpty() ? "no scheme: only http and https URLs are fetched" : "scheme " + scheme + ": not fetched, only http and https");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw FetchError.of(ErrorCode.BAD_REQUEST, "no host in " + raw);
    }
    return uri;
  }

  /**
   * A Location against the URL that sent it, as RFC 3986 does where {@link URI#resolve} (RFC 2396)
   * does not: against an empty path ({@code http://h} + {@code login} is {@code http://h/login}), and
   * for a query alone ({@code ?p=2} keeps the path).
   */
  static URI resolve(URI base, String location) {
    URI from = base.getRawPath() == null || base.getRawPath().isEmpty() ? base.resolve("/") : base;
    if (location.startsWith("?")) {
      String target = from.getScheme() + "://" + from.getRawAuthority() + from.getRawPath() + location;
      return URI.create(target);
    }
    return from.resolve(location);
  }
}
