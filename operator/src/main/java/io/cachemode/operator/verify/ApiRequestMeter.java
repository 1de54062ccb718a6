package io.cachemode.operator.verify;

import java.time.Instant;

/**
 * A meter whose API computes rates itself (Upstash, Prometheus): nothing is captured when the
 * window opens, and each measurement is exactly one request for the span asked for.
 */
abstract class ApiRequestMeter implements RequestMeter {

  /**
   * The GET rate over {@code [from, to]}; {@code from} is {@link Instant#EPOCH} for "whatever the
   * API has".
   */
  abstract Measurement rate(Instant from, Instant to);

  @Override
  public final Timing baselineTiming() {
    return Timing.instant();
  }

  @Override
  public final Measurement baseline(Instant now) {
    return rate(Instant.EPOCH, now);
  }

  @Override
  public final WindowStart startWindow(Instant now) {
    return WindowStart.Opened.withoutCounter(now, null);
  }

  @Override
  public final Timing afterWindowTiming(WindowStart start) {
    return Timing.instant();
  }

  @Override
  public final Measurement afterWindow(WindowStart start, Instant now) {
    if (start instanceof WindowStart.Unavailable unavailable) {
      return unavailable.failure();
    }
    return rate(start.at(), now);
  }
}
