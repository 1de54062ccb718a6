package io.cachemode.operator.egress;

import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A host name ({@code api.upstash.com}) or a suffix pattern ({@code *.svc.cluster.local}). The
 * wildcard stands for one or more whole labels, so {@code *.svc} matches {@code app.ns.svc} but
 * neither {@code svc} nor {@code app.ns.svc.evil.example}.
 *
 * @param suffix the name, or for a wildcard the part after {@code *}, starting with a dot
 * @param wildcard whether the pattern started with {@code *.}
 */
record HostPattern(String suffix, boolean wildcard) {
  private static final Pattern LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9_]*[a-z0-9])?$");

  /**
   * @throws IllegalArgumentException when {@code text} is not a DNS name or {@code *.} + a DNS name
   */
  static HostPattern parse(String text) {
    String t = normalize(text);
    boolean wildcard = t.startsWith("*.");
    String name = wildcard ? t.substring(2) : t;
    boolean valid =
        !name.isEmpty()
            && name.length() <= 253
            && Arrays.stream(name.split("\\.", -1))
                .allMatch(label -> label.length() <= 63 && LABEL.matcher(label).matches());
    if (!valid) {
      // A * may only stand for whole leading labels.
      throw new IllegalArgumentException(
          text + " is not a host name or a pattern such as *.svc.cluster.local");
    }
    return new HostPattern(wildcard ? "." + name : name, wildcard);
  }

  /** Host names compare in lower case and without the trailing dot of a fully qualified name. */
  static String normalize(String host) {
    String h = host.strip().toLowerCase(Locale.ROOT);
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  /**
   * @param host a normalized host name (see {@link #normalize})
   */
  boolean matches(String host) {
    return wildcard
        ? host.endsWith(suffix) && host.length() > suffix.length()
        : host.equals(suffix);
  }

  @Override
  public String toString() {
    return wildcard ? "*" + suffix : suffix;
  }
}
