package io.cachemode.operator.verify;

import java.time.Instant;

/**
 * What a meter captured when the observation window after the rollout opened. The reconciler keeps
 * it until the window has elapsed and hands it back to {@link RequestMeter#afterWindow}.
 */
public sealed interface WindowStart permits WindowStart.Opened, WindowStart.Unavailable {

  /** When the window opened. */
  Instant at();

  /**
   * The window is open.
   *
   * @param counter the GET counter at {@code at}; null for sources that compute windows themselves
   * @param uptimeSeconds the server's uptime at {@code at}, to detect a restart; null likewise
   */
  record Opened(Instant at, Long counter, Long uptimeSeconds) implements WindowStart {
    /** A window that only needs its start time. */
    public static Opened withoutCounter(Instant at) {
      return new Opened(at, null, null);
    }
  }

  /**
   * What the window needed could not be captured; {@link RequestMeter#afterWindow} answers with
   * this failure, and a caller may also report it at once instead of waiting for the window.
   */
  record Unavailable(Instant at, Measurement.Failure failure) implements WindowStart {}
}
