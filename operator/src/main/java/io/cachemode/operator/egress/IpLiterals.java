package io.cachemode.operator.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads IP address literals without ever asking DNS: {@link InetAddress#getByName} would resolve
 * anything that is not a literal, which must not happen while validating configuration.
 */
final class IpLiterals {
  // Four decimal octets, no leading zeros: "010.0.0.1" would be octal to some parsers.
  private static final Pattern IPV4 =
      Pattern.compile(
          "^(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}$");

  private IpLiterals() {}

  /** The address {@code text} spells, or empty when it is not an IPv4 or IPv6 literal. */
  static Optional<InetAddress> parse(String text) {
    String t =
        text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    // A string with a colon is only ever parsed as an IPv6 literal by the JDK (an invalid one
    // throws instead of falling back to DNS); dotted quads are checked here before the JDK sees
    // them.
    if (!IPV4.matcher(t).matches() && !t.contains(":")) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(t));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
