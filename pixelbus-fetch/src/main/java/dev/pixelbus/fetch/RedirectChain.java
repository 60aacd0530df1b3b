package dev.pixelbus.fetch;

import dev.pixelbus.api.ErrorCode;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The URLs one download went through, the first asked for to the last redirected to: each redirect is
 * checked as a URL given is (http or https only), a URL seen twice is a loop, and there are at most
 * {@code fetch.maxRedirects}. It also says which of the caller's headers go where. Pure.
 */
final class RedirectChain {
  /** Headers that go only to the host they were given for, as curl does since 7.58. */
  private static final Set<String> CREDENTIALS = Set.of("authorization", "cookie", "proxy-authorization");

  private final List<URI> chain = new ArrayList<>();
  private final int maxRedirects;

  RedirectChain(URI first, int maxRedirects) {
    this.chain.add(first);
    this.maxRedirects = maxRedirects;
  }

  URI first() {
    return chain.get(0);
  }

  /**
   * Adds a redirect's target.
   *
   * @throws FetchError 400 for a target that is not http or https; 502 for a loop or one redirect too many
   */
  void follow(URI next) {
    try {
      Urls.parse(next.toString());
    } catch (FetchError e) {
      throw FetchError.of(ErrorCode.BAD_REQUEST, "redirect to " + next + ": " + e.getMessage());
    }
    if (chain.contains(next)) {
      throw FetchError.of(ErrorCode.BAD_GATEWAY, "redirect loop: " + text(next));
    }
    if (chain.size() > maxRedirects) {
      throw FetchError.of(ErrorCode.BAD_GATEWAY, "more than " + maxRedirects + " redirects: " + text(next));
    }
    chain.add(next);
  }

  /** The caller's headers for a request to {@code uri}: credentials only if it is the host they were given for. */
  Map<String, String> headersFor(URI uri, Map<String, String> headers) {
    boolean sameHost = uri.getHost().equalsIgnoreCase(first().getHost());
    Map<String, String> sent = new LinkedHashMap<>();
    headers.forEach((name, value) -> {
      if (sameHost || !CREDENTIALS.contains(name.toLowerCase(Locale.ROOT))) {
        sent.put(name, value);
      }
    });
    return sent;
  }

  private String text(URI next) {
    return chain.stream().map(URI::toString).collect(Collectors.joining(" -> ")) + " -> " + next;
  }
}
