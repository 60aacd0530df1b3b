package dev.pixelbus.fetch.guard;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/** A block of addresses, {@code 10.0.0.0/8} or {@code fc00::/7}; an address alone is a block of one. Pure. */
public record Cidr(byte[] network, int prefix) {
  private static final Pattern V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  /** {@code a.b.c.d}, {@code a.b.c.d/n}, an IPv6 address with or without brackets, or one with {@code /n}. */
  public static Cidr parse(String text) {
    String t = text.trim();
    int slash = t.indexOf('/');
    String address = slash < 0 ? t : t.substring(0, slash);
    InetAddress ip = literal(address);
    if (ip == null) {
      throw new IllegalArgumentException("not an IP address or CIDR block: " + text);
    }
    byte[] bytes = ip.getAddress();
    int prefix = bytes.length * 8;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(t.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a prefix length in " + text);
      }
      if (prefix < 0 || prefix > bytes.length * 8) {
        throw new IllegalArgumentException("prefix length of " + text + " must be 0.." + bytes.length * 8);
      }
    }
    return new Cidr(masked(bytes, prefix), prefix);
  }

  /**
   * The address a text spells, or null when it is a name: only literals are parsed, so no name is
   * ever looked up here. An IPv6 literal may have its brackets, as in a URL.
   */
  public static InetAddress literal(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (!V4.matcher(h).matches() && !V6.matcher(h).matches()) {
      return null;
    }
    try {
      return InetAddress.getByName(h); // a literal: parsed, not resolved
    } catch (UnknownHostException e) {
      return null;
    }
  }

  public boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    return bytes.length == network.length && Arrays.equals(masked(bytes, prefix), network);
  }

  private static byte[] masked(byte[] bytes, int prefix) {
    byte[] out = bytes.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      out[i] &= (byte) (0xff << (8 - keep));
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(network) * 31 + prefix;
  }

  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
