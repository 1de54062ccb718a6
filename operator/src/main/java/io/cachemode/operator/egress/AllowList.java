package io.cachemode.operator.egress;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The destinations one purpose may reach: a connection is allowed when its host name matches one of
 * the host patterns or its resolved address lies in one of the CIDR ranges.
 */
record AllowList(List<HostPattern> hosts, List<Cidr> cidrs) {

  /**
   * Parses a comma-separated list; entries with a {@code /} or that are IP literals are CIDR
   * ranges, the rest host names or {@code *.suffix} patterns. An empty text allows nothing.
   *
   * @throws IllegalArgumentException naming the first bad entry
   */
  static AllowList parse(String text) {
    List<HostPattern> hosts = new ArrayList<>();
    List<Cidr> cidrs = new ArrayList<>();
    for (String entry :
        Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList()) {
      if (entry.contains("://")) {
        throw new IllegalArgumentException(
            entry + " is a URL; list its host name only (e.g. api.upstash.com)");
      }
      if (entry.contains("/") || IpLiterals.parse(entry).isPresent()) {
        cidrs.add(Cidr.parse(entry));
      } else {
        hosts.add(HostPattern.parse(entry));
      }
    }
    return new AllowList(List.copyOf(hosts), List.copyOf(cidrs));
  }

  boolean matchesName(String host) {
    return hosts.stream().anyMatch(p -> p.matches(host));
  }

  boolean containsAddress(InetAddress address) {
    return cidrs.stream().anyMatch(c -> c.contains(address));
  }

  boolean isEmpty() {
    return hosts.isEmpty() && cidrs.isEmpty();
  }

  /** The entries as the administrator would write them, comma-separated. */
  @Override
  public String toString() {
    return Stream.concat(hosts.stream(), cidrs.stream())
        .map(Object::toString)
        .collect(Collectors.joining(","));
  }
}
