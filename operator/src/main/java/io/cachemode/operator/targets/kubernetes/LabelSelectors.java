package io.cachemode.operator.targets.kubernetes;

import io.cachemode.operator.api.Bounds;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The label syntax a label selector must have. The CRD bounds the selector's size only (a syntax
 * rule over map keys exceeds the API server's CEL cost budget), so a selector such as {@code {tier:
 * "wé"}} is admitted; checking it here names the bad label instead of failing every list with the
 * API server's 400.
 */
final class LabelSelectors {
  private static final Pattern NAME = Pattern.compile(Bounds.LABEL_VALUE_PATTERN);
  private static final Pattern PREFIX = Pattern.compile(Bounds.OBJECT_NAME_PATTERN);

  private LabelSelectors() {}

  /** Why the first invalid label of {@code selector} is invalid, or empty when all are valid. */
  static Optional<String> problem(Map<String, String> selector) {
    for (Map.Entry<String, String> label : selector.entrySet()) {
      String key = label.getKey();
      int slash = key.lastIndexOf('/');
      String prefix = slash < 0 ? null : key.substring(0, slash);
      String name = key.substring(slash + 1);
      boolean keyValid =
          (prefix == null || (prefix.length() <= Bounds.NAME && PREFIX.matcher(prefix).matches()))
              && labelName(name);
      if (!keyValid) {
        return Optional.of(
            "label key "
                + quoted(key)
                + " is not [prefix/]name (a DNS subdomain prefix, a name of at most 63"
                + " alphanumerics and -_. starting and ending alphanumeric)");
      }
      String value = label.getValue() == null ? "" : label.getValue();
      if (!value.isEmpty() && !labelName(value)) {
        return Optional.of(
            "label value "
                + quoted(value)
                + " of "
                + key
                + " must be empty or at most 63 alphanumerics and -_. starting and ending"
                + " alphanumeric");
      }
    }
    return Optional.empty();
  }

  /** A label name or non-empty value: the CRD's label-value rule. */
  private static boolean labelName(String s) {
    return s.length() <= Bounds.LABEL && NAME.matcher(s).matches();
  }

  /** Quoted, with control characters escaped, so a status message stays one readable line. */
  private static String quoted(String s) {
    StringBuilder out = new StringBuilder("\"");
    s.codePoints()
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    return out.append('"').toString();
  }
}
