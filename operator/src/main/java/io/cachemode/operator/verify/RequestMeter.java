package io.cachemode.operator.verify;

import java.time.Instant;

/**
 * Measures the GET-request rate of one Redis-compatible database. Implementations never throw for
 * failures of the outside system; they answer a {@link Measurement.Failure}. Every call is
 * synchronous and bounded: an instant call by the meter's timeout per round trip, a sampling call
 * (see {@link Timing}) by its sample window plus that timeout. No call retries, sleeps or starts a
 * thread; the caller decides where a call runs and when it is repeated.
 */
public interface RequestMeter {

  /** "redis", "upstash" or "prometheus", as reported in status. */
  String source();

  /**
   * Whether {@link #baseline} answers at once (a lifetime counter or an API) or listens for a
   * bounded sample first, and for how long. A meter that must ask the server to know (Redis {@code
   * Auto}) asks once, bounded by its timeout, and keeps the answer for the meter's lifetime.
   */
  Timing baselineTiming();

  /**
   * The rate before the change: at once, or after a bounded sample (see {@link #baselineTiming}).
   */
  Measurement baseline(Instant now);

  /**
   * Captures what the after-window needs when it opens (the counter, for Redis counters). Always
   * instant; the result can be kept in status ({@link WindowStarts}).
   */
  WindowStart startWindow(Instant now);

  /** Whether {@link #afterWindow} for {@code start} answers at once or samples first. */
  Timing afterWindowTiming(WindowStart start);

  /**
   * The rate after the change: over {@code [start.at(), now]} for counters and APIs, or a sample
   * taken now for methods without a counter (MONITOR).
   */
  Measurement afterWindow(WindowStart start, Instant now);
}
