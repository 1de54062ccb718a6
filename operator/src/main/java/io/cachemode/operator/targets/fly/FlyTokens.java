package io.cachemode.operator.targets.fly;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A Fly API token as fly-go reads it ({@code tokens/tokens.go}): any {@code Bearer} or {@code
 * FlyV1} scheme is stripped (case-insensitively, repeatedly, {@code StripAuthorizationScheme}), the
 * rest is split at commas, and each part whose prefix before {@code _} is {@code fm1r}, {@code
 * fm1a} or {@code fm2} is a macaroon ({@code Parse}). The Machines API header ({@code FlapsHeader})
 * carries the macaroons only, under {@code FlyV1}, when there is one; otherwise the other tokens
 * under {@code Bearer}.
 *
 * @param macaroons the macaroon parts, in the order given
 * @param others the remaining (OAuth or personal) tokens
 */
record FlyTokens(List<String> macaroons, List<String> others) {
  private static final Set<String> MACAROON_PREFIXES = Set.of("fm1r", "fm1a", "fm2");
  private static final Set<String> SCHEMES = Set.of("bearer", "flyv1");

  FlyTokens {
    macaroons = List.copyOf(macaroons);
    others = List.copyOf(others);
  }

  static FlyTokens parse(String token) {
    List<String> macaroons = new ArrayList<>();
    List<String> others = new ArrayList<>();
    for (String part : stripSchemes(token).split(",")) {
      String t = part.strip();
      if (t.isEmpty()) {
        continue;
      }
      int underscore = t.indexOf('_');
      String prefix = underscore < 0 ? t : t.substring(0, underscore);
      (MACAROON_PREFIXES.contains(prefix) ? macaroons : others).add(t);
    }
    return new FlyTokens(macaroons, others);
  }

  /** The {@code Authorization} header value for the Machines API. */
  String header() {
    return macaroons.isEmpty()
        ? "Bearer " + String.join(",", others)
        : "FlyV1 " + String.join(",", macaroons);
  }

  /** Every form of the credential that must never reach a message: each part, and the joins. */
  List<String> secrets() {
    List<String> all = new ArrayList<>(macaroons);
    all.addAll(others);
    all.add(String.join(",", macaroons));
    all.add(String.join(",", others));
    return all;
  }

  private static String stripSchemes(String token) {
    String t = token.strip();
    while (true) {
      int space = t.indexOf(' ');
      if (space < 0 || !SCHEMES.contains(t.substring(0, space).toLowerCase(Locale.ROOT))) {
        return t;
      }
      t = t.substring(space + 1).strip();
    }
  }
}
