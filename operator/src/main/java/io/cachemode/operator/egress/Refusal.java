package io.cachemode.operator.egress;

import java.util.Optional;

/**
 * Why the operator did not open a connection. No byte was sent to the destination.
 *
 * @param purpose what the connection was for
 * @param host the host as the URL or Redis address named it
 * @param address the resolved address that was refused; empty when the name itself was refused
 * @param rule the rule that refused it, e.g. "link-local 169.254.0.0/16"
 * @param alwaysRefused true when no policy can allow the destination (link-local, metadata,
 *     unspecified, loopback in a cluster); false when the policy just does not list it
 */
public record Refusal(
    Purpose purpose, String host, Optional<String> address, String rule, boolean alwaysRefused) {

  /** The reason a status, an Event or a meter failure reports for a refused destination. */
  public static final String REASON = "DestinationNotAllowed";

  /**
   * One line naming the reason, the destination and the rule, e.g. {@code DestinationNotAllowed:
   * health check to metadata.google.internal refused: cloud instance metadata name (always
   * refused)}. Never carries a URL path or credentials: only the host and the address.
   */
  public String message() {
    return REASON
        + ": "
        + purpose.description()
        + " to "
        + host
        + address.filter(a -> !a.equals(host)).map(a -> " (" + a + ")").orElse("")
        + " refused: "
        + rule
        + (alwaysRefused ? " (always refused)" : "");
  }
}
