package io.cachemode.operator.verify;

import java.time.Instant;

/**
 * What a meter captured when the observation window after the rollout opened. The caller keeps it
 * (in status, through {@link WindowStarts}) until the window has elapsed and hands it back to
 * {@link RequestMeter#afterWindow}.
 */
public sealed interface WindowStart permits WindowStart.Opened, WindowStart.Unavailable {

  /** When the window opened. */
  Instant at();

  /**
   * The window is open.
   *
   * @param method how GETs are counted in this window (the after-rate uses the same); null for
   *     meters with a single method
   * @param counter the lifetime counter at {@code at}; null for sources without one
   * @param uptimeSeconds the server's uptime at {@code at}, to detect a restart; null likewise
   */
  record Opened(Instant at, String method, Long counter, Long uptimeSeconds)
      implements WindowStart {
    /** A window that only needs its start time. */
    public static Opened withoutCounter(Instant at, String method) {
      return new Opened(at, method, null, null);
    }
  }

  /**
   * What the window needed could not be captured; {@link RequestMeter#afterWindow} answers with
   * this failure, and a caller may also report it at once instead of waiting for the window.
   */
  record Unavailable(Instant at, Measurement.Failure failure) implements WindowStart {}
}
