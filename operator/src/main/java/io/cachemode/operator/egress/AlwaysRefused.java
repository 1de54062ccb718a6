package io.cachemode.operator.egress;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Destinations no policy can allow: the addresses through which a pod reaches its node's or its
 * cloud's private services. Sources for each entry are in docs/security.md.
 *
 * <ul>
 *   <li>Link-local {@code 169.254.0.0/16} and {@code fe80::/10}: the instance metadata service of
 *       AWS, GCP, Azure and Oracle Cloud listens on 169.254.169.254, the ECS task metadata on
 *       169.254.170.2.
 *   <li>Cloud metadata outside link-local: AWS {@code fd00:ec2::254}, GCP {@code fd20:ce::254},
 *       Alibaba Cloud {@code 100.100.100.200}, Azure's WireServer {@code 168.63.129.16}; and the
 *       names {@code metadata.google.internal} and {@code metadata}.
 *   <li>Unspecified addresses ({@code 0.0.0.0/8}, {@code ::}): a connection to them reaches the
 *       local host on Linux.
 *   <li>Loopback ({@code 127.0.0.0/8}, {@code ::1}, {@code localhost}) when the operator runs in a
 *       cluster, where the local host is the operator's own pod.
 * </ul>
 *
 * IPv4 addresses carried inside IPv6 ones (IPv4-mapped, IPv4-compatible, NAT64 {@code
 * 64:ff9b::/96}) are judged as the IPv4 address they carry.
 */
final class AlwaysRefused {

  private record Range(Cidr cidr, String why) {}

  private static final List<Range> ADDRESSES =
      List.of(
          range("169.254.0.0/16", "link-local (cloud instance metadata)"),
          range("fe80::/10", "link-local"),
          range("0.0.0.0/8", "unspecified address"),
          range("::/128", "unspecified address"),
          range("100.100.100.200/32", "Alibaba Cloud instance metadata"),
          range("168.63.129.16/32", "Azure WireServer"),
          range("fd00:ec2::254/128", "AWS instance metadata (IPv6)"),
          range("fd20:ce::254/128", "GCP instance metadata (IPv6)"));

  private static final List<Range> LOOPBACK =
      List.of(
          range("127.0.0.0/8", "loopback in a cluster"), range("::1/128", "loopback in a cluster"));

  private static final Set<String> METADATA_NAMES = Set.of("metadata.google.internal", "metadata");

  private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
  private static final Cidr IPV4_COMPATIBLE = Cidr.parse("::/96");

  private final List<Range> addresses;
  private final boolean refuseLoopback;

  /**
   * @param refuseLoopback true when running in a cluster
   */
  AlwaysRefused(boolean refuseLoopback) {
    this.refuseLoopback = refuseLoopback;
    List<Range> all = new ArrayList<>(ADDRESSES);
    if (refuseLoopback) {
      all.addAll(LOOPBACK);
    }
    this.addresses = List.copyOf(all);
  }

  /** Why {@code host} (normalized) is refused before any lookup, if it is. */
  Optional<String> name(String host) {
    if (METADATA_NAMES.contains(host)) {
      return Optional.of("cloud instance metadata name");
    }
    if (refuseLoopback && (host.equals("localhost") || host.endsWith(".localhost"))) {
      return Optional.of("loopback name in a cluster");
    }
    return Optional.empty();
  }

  /** Why {@code address} is refused whatever the policy, if it is. */
  Optional<String> address(InetAddress address) {
    Optional<InetAddress> embedded = embeddedIpv4(address);
    for (Range r : addresses) {
      if (r.cidr().contains(address) || embedded.map(r.cidr()::contains).orElse(false)) {
        return Optional.of(r.why() + " " + r.cidr());
      }
    }
    return Optional.empty();
  }

  /** The always-refused range that holds all of {@code cidr}, if one does. */
  Optional<String> covering(Cidr cidr) {
    return addresses.stream()
        .filter(r -> r.cidr().covers(cidr))
        .map(r -> r.why() + " " + r.cidr())
        .findFirst();
  }

  private static Optional<InetAddress> embeddedIpv4(InetAddress address) {
    // The JDK already turns IPv4-mapped addresses (::ffff:a.b.c.d) into Inet4Address.
    if (!(address instanceof Inet6Address)) {
      return Optional.empty();
    }
    boolean carries =
        NAT64.contains(address)
            || (IPV4_COMPATIBLE.contains(address) && !isZeroOrOne(address.getAddress()));
    if (!carries) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          InetAddress.getByAddress(Arrays.copyOfRange(address.getAddress(), 12, 16)));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are always an IPv4 address", e);
    }
  }

  // :: and ::1 sit in ::/96 but are IPv6's own unspecified and loopback addresses.
  private static boolean isZeroOrOne(byte[] address) {
    for (int i = 0; i < 15; i++) {
      if (address[i] != 0) {
        return false;
      }
    }
    return address[15] == 0 || address[15] == 1;
  }

  boolean refusesLoopback() {
    return refuseLoopback;
  }

  private static Range range(String cidr, String why) {
    return new Range(Cidr.parse(cidr), why);
  }
}
