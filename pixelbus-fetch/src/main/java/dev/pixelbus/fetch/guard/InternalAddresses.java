package dev.pixelbus.fetch.guard;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * The addresses a job from the network may not reach: this machine, its networks and whatever
 * lies behind them. The IETF special-purpose registries (RFC 6890 and successors) give the ranges;
 * an IPv6 address that carries an IPv4 one (NAT64, 6to4, IPv4-compatible) is judged by the IPv4
 * address inside. Pure.
 */
public final class InternalAddresses {
  /** A named block. */
  private record Range(Cidr block, String kind) {
  }

  private static final List<Range> RANGES = List.of(
      range("0.0.0.0/8", "unspecified"),
      range("127.0.0.0/8", "loopback"),
      range("10.0.0.0/8", "private"),
      range("172.16.0.0/12", "private"),
      range("192.168.0.0/16", "private"),
      range("100.64.0.0/10", "shared (carrier-grade NAT)"),
      range("169.254.0.0/16", "link-local"),
      range("192.0.0.0/24", "IETF protocol assignment"),
      range("224.0.0.0/4", "multicast"),
      range("240.0.0.0/4", "reserved"), // and 255.255.255.255, the broadcast address
      range("::/128", "unspecified"),
      range("::1/128", "loopback"),
      range("fc00::/7", "private (unique local)"),
      range("fec0::/10", "private (site-local)"),
      range("fe80::/10", "link-local"),
      range("ff00::/8", "multicast"));

  private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
  private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");
  private static final Cidr V4_COMPATIBLE = Cidr.parse("::/96");

  private InternalAddresses() {
  }

  /** What kind of internal address this is ("loopback", "private", ...), or null for a public one. */
  public static String kind(InetAddress address) {
    for (Range r : RANGES) {
      if (r.block().contains(address)) {
        return r.kind();
      }
    }
    InetAddress inside = embeddedV4(address);
    if (inside != null) {
      String kind = kind(inside);
      return kind == null ? null : kind + " (" + inside.getHostAddress() + " inside)";
    }
    return null;
  }

  /** The IPv4 address an IPv6 one carries by NAT64, 6to4 or the old IPv4-compatible form; null if none. */
  static InetAddress embeddedV4(InetAddress address) {
    byte[] b = address.getAddress();
    if (b.length != 16) {
      return null;
    }
    if (NAT64.contains(address) || V4_COMPATIBLE.contains(address)) {
      return v4(Arrays.copyOfRange(b, 12, 16));
    }
    if (SIX_TO_FOUR.contains(address)) {
      return v4(Arrays.copyOfRange(b, 2, 6));
    }
    return null;
  }

  private static InetAddress v4(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Range range(String cidr, String kind) {
    return new Range(Cidr.parse(cidr), kind);
  }
}
