package io.cachemode.operator.verify;

import java.time.Instant;

/**
 * Measures the GET-request rate of one Redis-compatible database. Implementations never throw for
 * failures of the outside system; they answer a {@link Measurement.Failure}. Each call is bounded
 * by the meter's timeout and makes no hidden retries.
 */
public interface RequestMeter {

  /** "redis", "upstash" or "prometheus", as reported in status. */
  String source();

  /**
   * A rate available right now, without waiting, so an urgent suspend is never delayed by a
   * measurement.
   */
  Measurement baseline(Instant now);

  /** Captures what the after-window needs when it opens (the counter, for Redis). */
  WindowStart startWindow(Instant now);

  /** The rate over {@code [start.at(), now]}. */
  Measurement afterWindow(WindowStart start, Instant now);
}
