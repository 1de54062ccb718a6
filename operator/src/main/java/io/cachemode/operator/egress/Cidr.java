package io.cachemode.operator.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An address range such as {@code 10.0.0.0/8} or {@code fd00::/8}. An IPv4 range never contains an
 * IPv6 address and the other way round (IPv4 addresses carried inside IPv6 ones are unwrapped by
 * {@link AlwaysRefused} before they are matched).
 */
record Cidr(String text, byte[] network, int prefixLength) {

  /**
   * Parses {@code a.b.c.d/n}, {@code x::/n} or a bare address (one address).
   *
   * @throws IllegalArgumentException naming what is wrong, e.g. bits set after the prefix
   */
  static Cidr parse(String text) {
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    InetAddress parsed =
        IpLiterals.parse(address)
            .orElseThrow(
                () -> new IllegalArgumentException(text + " is not an IP address or CIDR range"));
    byte[] bytes = parsed.getAddress();
    int bits = bytes.length * 8;
    int prefix;
    if (slash < 0) {
      prefix = bits;
    } else {
      try {
        prefix = Integer.parseInt(text.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(text + " has no prefix length after the /");
      }
      if (prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException(
            text + ": the prefix length must be between 0 and " + bits);
      }
    }
    if (!Arrays.equals(mask(bytes, prefix), bytes)) {
      throw new IllegalArgumentException(
          text
              + " has address bits set after the prefix; did you mean "
              + literal(mask(bytes, prefix))
              + "/"
              + prefix
              + "?");
    }
    return new Cidr(text, bytes, prefix);
  }

  boolean contains(InetAddress address) {
    byte[] candidate = address.getAddress();
    return candidate.length == network.length
        && Arrays.equals(mask(candidate, prefixLength), network);
  }

  /** Whether every address of {@code other} lies in this range. */
  boolean covers(Cidr other) {
    return other.network.length == network.length
        && other.prefixLength >= prefixLength
        && Arrays.equals(mask(other.network, prefixLength), network);
  }

  private static byte[] mask(byte[] address, int prefix) {
    byte[] out = address.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      out[i] &= (byte) (0xff << (8 - keep));
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c
        && c.prefixLength == prefixLength
        && Arrays.equals(c.network, network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefixLength;
  }

  /** As the administrator wrote it. */
  @Override
  public String toString() {
    return text;
  }

  private static String literal(byte[] address) {
    try {
      return InetAddress.getByAddress(address).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException("a 4- or 16-byte address is always valid", e);
    }
  }
}
