package dev.pixelbus.fetch.guard;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The request-forgery guard at the edge: resolves a URL's host, judges every address it has by the
 * {@link HostPolicy}, and gives the one address the request must connect to, so that what was checked
 * is what is connected (a second lookup could answer otherwise: DNS rebinding). Lookups run on a
 * worker thread; their answers are kept {@link #TTL_MS} per host, and downloads to one host share
 * one lookup in flight.
 */
public final class AddressGuard {
  /** How long a lookup's answer is used: the JDK's own cache keeps a good answer as long (networkaddress.cache.ttl). */
  static final long TTL_MS = 30_000;
  private static final int MAX_HOSTS = 1024;

  /** Why a URL is not fetched: a message for its entry in the job's failures. */
  public static final class Refused extends RuntimeException {
    public Refused(String message) {
      super(message, null, false, false);
    }
  }

  private record Lookup(Future<List<InetAddress>> addresses, long at) {
  }

  private final Vertx vertx;
  private final HostPolicy policy;
  private final Map<String, Lookup> lookups = new LinkedHashMap<>();

  public AddressGuard(Vertx vertx, HostPolicy policy) {
    this.vertx = vertx;
    this.policy = policy;
  }

  /** The address to connect for this URL, or a failed future holding a {@link Refused}. Call on one event loop. */
  public Future<SocketAddress> target(URI uri) {
    String host = uri.getHost();
    String early = policy.refuseName(host);
    if (early != null) {
      return Future.failedFuture(new Refused(early));
    }
    int port = uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    InetAddress literal = Cidr.literal(host);
    Future<List<InetAddress>> addresses = literal != null ? Future.succeededFuture(List.of(literal)) : lookup(host);
    return addresses.compose(all -> {
      String why = policy.refuse(host, all);
      return why != null ? Future.failedFuture(new Refused(why))
          : Future.succeededFuture(SocketAddress.inetSocketAddress(new InetSocketAddress(all.get(0), port)));
    });
  }

  private Future<List<InetAddress>> lookup(String host) {
    long now = System.currentTimeMillis();
    Lookup kept = lookups.get(host);
    if (kept != null && (now - kept.at() < TTL_MS) && !kept.addresses().failed()) {
      return kept.addresses();
    }
    if (lookups.size() >= MAX_HOSTS) {
      lookups.clear();
    }
    Future<List<InetAddress>> fresh = vertx.executeBlocking(() -> lookupNow(host), false);
    lookups.put(host, new Lookup(fresh, now));
    return fresh;
  }

  private static List<InetAddress> lookupNow(String host) throws UnknownHostException {
    return Arrays.asList(InetAddress.getAllByName(host));
  }
}
