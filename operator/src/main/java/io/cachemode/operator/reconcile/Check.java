package io.cachemode.operator.reconcile;

import io.cachemode.operator.api.CacheModeStatus;
import io.cachemode.operator.api.TransitionStatus;
import io.cachemode.operator.api.WindowStartStatus;
import java.util.Optional;

/**
 * A kind of verification job, and the id of the one the current status asks for. Ids are a pure
 * function of status, so the reconcile that asks for a job and the one that picks up its result
 * name it the same way, whichever replica runs them.
 */
enum Check {
  /** The GET rate before the flag is written. */
  BASELINE,
  /** Every health check, once, with its attempts. */
  HEALTH,
  /** Every log check over the restarted pods. */
  LOGS,
  /** Opens the GET-rate window after the rollout. */
  WINDOW_START,
  /** Closes the window (the verdict, or a watch sample) and opens the next one. */
  WINDOW_END;

  /** The job id for this check under {@code status}, empty when there is no transition. */
  Optional<String> id(CacheModeStatus status) {
    TransitionStatus t = status.getTransition();
    if (t == null) {
      return Optional.empty();
    }
    String base =
        name().toLowerCase() + "/" + t.getGeneration() + "/" + t.getStartedAt() + "/" + attempt(t);
    if (this == LOGS) {
      // Each read of still-open windows is a new job: it is named after the time it was due.
      return Optional.of(
          base
              + "/"
              + status.getLogChecks().stream()
                  .map(l -> l.getRetryAt())
                  .filter(java.util.Objects::nonNull)
                  .max(String::compareTo)
                  .orElse("first"));
    }
    if (this == WINDOW_END) {
      WindowStartStatus w =
          status.getRequests() == null ? null : status.getRequests().getWindowStart();
      return w == null ? Optional.empty() : Optional.of(base + "/" + w.getAt());
    }
    return Optional.of(base);
  }

  private static int attempt(TransitionStatus t) {
    return t.getAttempt() == null ? 0 : t.getAttempt();
  }
}
