package dev.pixelbus.fetch.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which addresses are internal, and how allowHosts and denyHosts refine the refusal. No lookups: literals only. */
class HostPolicyTest {
  @ParameterizedTest
  @CsvSource({
      "127.0.0.1, loopback", "127.1.2.3, loopback", "::1, loopback",
      "0.0.0.0, unspecified", "0.1.2.3, unspecified", "::, unspecified",
      "10.0.0.1, private", "10.255.255.255, private", "172.16.0.1, private", "172.31.255.255, private",
      "192.168.1.1, private", "fc00::1, private (unique local)", "fd12:3456::1, private (unique local)",
      "fec0::1, private (site-local)",
      "169.254.169.254, link-local", "169.254.0.1, link-local", "fe80::1, link-local",
      "100.64.0.1, shared (carrier-grade NAT)", "192.0.0.8, IETF protocol assignment",
      "224.0.0.1, multicast", "239.255.255.250, multicast", "ff02::1, multicast",
      "240.0.0.1, reserved", "255.255.255.255, reserved",
      "::ffff:127.0.0.1, loopback", // Java reads an IPv4-mapped address as the IPv4 one
      "64:ff9b::7f00:1, loopback (127.0.0.1 inside)", "64:ff9b::a9fe:a9fe, link-local (169.254.169.254 inside)",
      "2002:7f00:1::1, loopback (127.0.0.1 inside)", "2002:c0a8:101::, private (192.168.1.1 inside)",
      "::10.0.0.1, private (10.0.0.1 inside)"})
  void internalAddressesAreNamedByKind(String address, String kind) {
    assertEquals(kind, InternalAddresses.kind(ip(address)), address);
    String why = HostPolicy.DEFAULT.refuseName(address);
    assertNotNull(why, address);
    assertTrue(why.contains(kind) && why.contains("fetch.allowHosts"), why);
  }

  @ParameterizedTest
  @ValueSource(strings = {"93.184.216.34", "172.32.0.1", "172.15.255.255", "100.128.0.1", "1.1.1.1", "8.8.8.8",
      "2606:4700::1111", "2001:db8::1", "64:ff9b::808:808", "2002:808:808::", "[2606:4700::1111]"})
  void publicAddressesPass(String address) {
    assertNull(HostPolicy.DEFAULT.refuseName(address), address);
  }

  @Test
  void aNameIsJudgedByEveryAddressItResolvesTo() {
    HostPolicy policy = HostPolicy.DEFAULT;
    assertNull(policy.refuseName("images.example.com"), "a name may be looked up");
    assertNull(policy.refuse("images.example.com", List.of(ip("93.184.216.34"))));
    String why = policy.refuse("images.example.com", List.of(ip("93.184.216.34"), ip("10.0.0.1")));
    assertEquals("images.example.com resolves to 10.0.0.1, which is a private address: jobs from the network may not"
        + " fetch it (an address or CIDR block in fetch.allowHosts lets them)", why);
    assertNotNull(policy.refuse("localhost", List.of(ip("127.0.0.1"), ip("::1"))));
  }

  @Test
  void anAllowedBlockLetsAnInternalAddressThroughButAnAllowedNameDoesNot() {
    HostPolicy policy = HostPolicy.of(List.of("10.1.0.0/16", "cdn.example.com", "*.images.example.com"), List.of());
    assertNull(policy.refuseName("10.1.2.3"));
    assertNotNull(policy.refuseName("10.2.0.1"), "outside the block");
    assertNull(policy.refuse("cdn.example.com", List.of(ip("93.184.216.34"))));
    assertNull(policy.refuse("a.images.example.com", List.of(ip("93.184.216.34"))));
    assertNotNull(policy.refuse("images.example.com", List.of(ip("93.184.216.34"))), "*. holds subdomains only");
    assertTrue(policy.refuse("other.example.com", List.of(ip("93.184.216.34"))).contains("not in fetch.allowHosts"));
    assertTrue(policy.refuse("cdn.example.com", List.of(ip("127.0.0.1"))).contains("loopback"),
        "an allowed name whose DNS points inside is still refused");
    assertNull(policy.refuse("CDN.Example.com.", List.of(ip("10.1.0.9"))), "case and the root's dot do not matter");
  }

  @Test
  void anAllowListOfNamesOnlyRefusesOtherNamesBeforeTheyAreLookedUp() {
    HostPolicy policy = HostPolicy.of(List.of("cdn.example.com"), List.of());
    assertTrue(policy.refuseName("evil.example.net").contains("not in fetch.allowHosts"));
    assertNull(policy.refuseName("cdn.example.com"));
    assertNotNull(policy.refuseName("93.184.216.34"), "an address is not a name the list allows");
  }

  @Test
  void denyWinsOverAllow() {
    HostPolicy policy = HostPolicy.of(List.of("*.example.com", "10.0.0.0/8"), List.of("admin.example.com",
        "93.184.216.0/24", "10.9.0.0/16"));
    assertEquals("admin.example.com is in fetch.denyHosts", policy.refuseName("admin.example.com"));
    assertEquals("www.example.com (93.184.216.34) is in fetch.denyHosts",
        policy.refuse("www.example.com", List.of(ip("93.184.216.34"))));
    assertEquals("10.9.1.1 is in fetch.denyHosts", policy.refuseName("10.9.1.1"));
    assertNull(policy.refuseName("10.8.1.1"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10.0.0.0/33", "::/129", "10.0.0.0/x", "exa mple.com", "*", "*.", "a..b", "http://x"})
  void aBadPatternStopsTheStartNamingTheSetting(String pattern) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> HostPolicy.of(List.of(), List.of(pattern)));
    assertTrue(e.getMessage().startsWith("fetch.denyHosts: "), e.getMessage());
  }

  @Test
  void blocksAreMaskedAndCompareByValue() {
    assertEquals(Cidr.parse("10.0.0.0/8"), Cidr.parse("10.9.8.7/8"));
    assertEquals("10.0.0.0/8", Cidr.parse("10.9.8.7/8").toString());
    assertTrue(Cidr.parse("0.0.0.0/0").contains(ip("8.8.8.8")));
    assertTrue(!Cidr.parse("0.0.0.0/0").contains(ip("::1")), "a v4 block holds no v6 address");
    assertNull(Cidr.literal("example.com"), "a name is not parsed, let alone looked up");
  }

  private static InetAddress ip(String literal) {
    InetAddress a = Cidr.literal(literal);
    if (a == null) {
      throw new IllegalArgumentException(literal);
    }
    return a;
  }
}
