package dev.pixelbus.fetch.guard;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which hosts a job from the network may fetch: {@code fetch.allowHosts} and {@code fetch.denyHosts},
 * each a list of patterns, over the default refusal of internal addresses ({@link InternalAddresses}).
 * A pattern is a name ({@code images.example.com}), a name's subdomains ({@code *.example.com}), an
 * IP address or a CIDR block.
 *
 * <ul>
 *   <li>A host that {@code denyHosts} names, by name or by an address it resolves to, is refused.</li>
 *   <li>When {@code allowHosts} is not empty, only what it names is fetched.</li>
 *   <li>An internal address is refused unless an address or block of {@code allowHosts} holds it: a
 *       name allowed is not enough, since its DNS may point anywhere.</li>
 * </ul>
 * Pure: the caller resolves names and connects to an address that was checked here.
 */
public final class HostPolicy {
  /** Nothing allowed beyond the default, nothing denied. */
  public static final HostPolicy DEFAULT = new HostPolicy(List.of(), List.of(), List.of(), List.of());

  private final List<String> allowNames;
  private final List<Cidr> allowBlocks;
  private final List<String> denyNames;
  private final List<Cidr> denyBlocks;

  private HostPolicy(List<String> allowNames, List<Cidr> allowBlocks, List<String> denyNames, List<Cidr> denyBlocks) {
    this.allowNames = allowNames;
    this.allowBlocks = allowBlocks;
    this.denyNames = denyNames;
    this.denyBlocks = denyBlocks;
  }

  /** @throws IllegalArgumentException naming the setting and the pattern that is not one */
  public static HostPolicy of(List<String> allowHosts, List<String> denyHosts) {
    List<String> allowNames = new ArrayList<>();
    List<Cidr> allowBlocks = new ArrayList<>();
    List<String> denyNames = new ArrayList<>();
    List<Cidr> denyBlocks = new ArrayList<>();
    sort("fetch.allowHosts", allowHosts, allowNames, allowBlocks);
    sort("fetch.denyHosts", denyHosts, denyNames, denyBlocks);
    return new HostPolicy(List.copyOf(allowNames), List.copyOf(allowBlocks), List.copyOf(denyNames),
        List.copyOf(denyBlocks));
  }

  /**
   * Why a host is refused by its name alone, before it is looked up, or null when it may be
   * resolved. An IP literal is judged here whole, as no lookup will follow.
   */
  public String refuseName(String host) {
    InetAddress literal = Cidr.literal(host);
    if (literal != null) {
      return refuse(host, List.of(literal));
    }
    String name = name(host);
    if (denyNames.stream().anyMatch(p -> matches(p, name))) {
      return host + " is in fetch.denyHosts";
    }
    if (!allowNames.isEmpty() || !allowBlocks.isEmpty()) {
      if (allowBlocks.isEmpty() && allowNames.stream().noneMatch(p -> matches(p, name))) {
        return host + " is not in fetch.allowHosts";
      }
    }
    return null;
  }

  /** Why a host, resolved to these addresses, is refused; null when every one of them may be connected. */
  public String refuse(String host, List<InetAddress> addresses) {
    String name = name(host);
    boolean literal = Cidr.literal(host) != null;
    if (!literal && denyNames.stream().anyMatch(p -> matches(p, name))) {
      return host + " is in fetch.denyHosts";
    }
    for (InetAddress a : addresses) {
      if (denyBlocks.stream().anyMatch(b -> b.contains(a))) {
        return host + (literal ? "" : " (" + a.getHostAddress() + ")") + " is in fetch.denyHosts";
      }
    }
    boolean nameAllowed = !literal && allowNames.stream().anyMatch(p -> matches(p, name));
    for (InetAddress a : addresses) {
      boolean blockAllowed = allowBlocks.stream().anyMatch(b -> b.contains(a));
      String kind = InternalAddresses.kind(a);
      String shown = host + (literal ? "" : " resolves to " + a.getHostAddress() + ", which");
      if (kind != null && !blockAllowed) {
        return shown + " is a " + kind + " address: jobs from the network may not fetch it"
            + " (an address or CIDR block in fetch.allowHosts lets them)";
      }
      if ((!allowNames.isEmpty() || !allowBlocks.isEmpty()) && !nameAllowed && !blockAllowed) {
        return host + (literal ? "" : " (" + a.getHostAddress() + ")") + " is not in fetch.allowHosts";
      }
    }
    return null;
  }

  private static void sort(String setting, List<String> patterns, List<String> names, List<Cidr> blocks) {
    for (String raw : patterns) {
      String p = raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
      if (p.isEmpty()) {
        throw new IllegalArgumentException(setting + ": an empty pattern");
      }
      if (p.indexOf('/') >= 0 || Cidr.literal(p) != null) {
        try {
          blocks.add(Cidr.parse(p));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(setting + ": " + e.getMessage());
        }
        continue;
      }
      String rest = p.startsWith("*.") ? p.substring(2) : p;
      if (rest.isEmpty() || !rest.matches("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\\.?")) {
        throw new IllegalArgumentException(setting + ": " + raw
            + " is not a host name, *.domain, IP address or CIDR block");
      }
      names.add(p.endsWith(".") ? p.substring(0, p.length() - 1) : p);
    }
  }

  /** A name as compared: lower case, without the root's trailing dot. */
  private static String name(String host) {
    String n = host.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  /** {@code *.example.com} holds the subdomains of example.com, not example.com itself. */
  private static boolean matches(String pattern, String name) {
    return pattern.startsWith("*.") ? name.endsWith(pattern.substring(1)) : name.equals(pattern);
  }
}
