package io.cachemode.operator.testing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads figures from a Prometheus text exposition (an operator's or the API server's /metrics). */
public final class PrometheusText {
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})?\\s+(\\S+)");

  private PrometheusText() {}

  /**
   * The sum of every sample of metric {@code name} whose labels contain all of {@code labels} (each
   * given as {@code key="value"}); 0 when there is none.
   */
  public static double sum(String exposition, String name, String... labels) {
    double total = 0;
    for (String line : exposition.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (!m.find() || !m.group(1).equals(name)) {
        continue;
      }
      String set = m.group(2) == null ? "" : m.group(2);
      boolean all = true;
      for (String label : labels) {
        all &= set.contains(label);
      }
      if (all) {
        total += Double.parseDouble(m.group(3));
      }
    }
    return total;
  }
}
