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
   * @param method how it was measured, shown in status (e.g. "GET counter delta")
   * @param sampledAt when it was measured
   */
  record Rate(double perMinute, Duration window, String method, Instant sampledAt)
      implements Measurement {
    public Rate {
      if (!Double.isFinite(perMinute) || perMinute < 0) {
        throw new IllegalArgumentException("not a rate: " + perMinute);
      }
      Objects.requireNonNull(window, "window");
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(sampledAt, "sampledAt");
    }
  }

  /**
   * No rate.
   *
   * @param kind why
   * @param message what happened, readable in status; never contains a secret
   */
  record Failure(FailureKind kind, String message) implements Measurement {
    public Failure {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(message, "message");
    }
  }
}
