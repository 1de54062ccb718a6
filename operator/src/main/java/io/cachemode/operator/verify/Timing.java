package io.cachemode.operator.verify;

import java.time.Duration;
import java.util.Objects;

/**
 * How long one call of a {@link RequestMeter} blocks, so the caller can run it off the reconcile
 * threads and show what it waits for (for example a "Baselining" phase).
 *
 * @param kind {@link Kind#Instant}: one or two round trips to a counter or an API; {@link
 *     Kind#Sample}: the call listens for {@code expected} before it answers
 * @param expected how long the call is expected to take; every round trip is further bounded by the
 *     meter's timeout
 */
public record Timing(Kind kind, Duration expected) {

  public enum Kind {
    Instant,
    Sample
  }

  public Timing {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(expected, "expected");
  }

  public static Timing instant() {
    return new Timing(Kind.Instant, Duration.ZERO);
  }

  public static Timing sample(Duration window) {
    return new Timing(Kind.Sample, window);
  }
}
