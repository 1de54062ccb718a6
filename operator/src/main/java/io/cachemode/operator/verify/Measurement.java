package io.cachemode.operator.verify;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** A GET-request rate, or the typed reason there is none. */
public sealed interface Measurement permits Measurement.Rate, Measurement.Failure {

  /**
   * A measured rate.
   *
   * @param perMinute GET requests per minute; always finite and not negative, so a NaN can never
   *     reach a verdict
   * @param window the span the rate covers
   * @param method how GETs were counted, a stable name (e.g. "CommandStats", "Monitor"): two rates
   *     are comparable only when their methods are equal
   * @param reason how the rate was computed and why this method was used, readable in status
   * @param sampledAt when it was measured
   * @param capped the sample ended at a line cap before its window: the rate covers the shorter
   *     span sampled, which can show that GETs did not fall but never that they did
   */
  record Rate(
      double perMinute,
      Duration window,
      String method,
      String reason,
      Instant sampledAt,
      boolean capped)
      implements Measurement {
    public Rate {
      if (!Double.isFinite(perMinute) || perMinute < 0) {
        throw new IllegalArgumentException("not a rate: " + perMinute);
      }
      Objects.requireNonNull(window, "window");
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(sampledAt, "sampledAt");
    }

    /** A complete (not capped) rate. */
    public Rate(double perMinute, Duration window, String method, String reason, Instant at) {
      this(perMinute, window, method, reason, at, false);
    }
  }

  /**
   * No rate.
   *
   * @param kind why
   * @param message what happened, readable in status; never contains a secret or an application
   *     command's arguments
   */
  record Failure(FailureKind kind, String message) implements Measurement {
    public Failure {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(message, "message");
    }
  }
}
