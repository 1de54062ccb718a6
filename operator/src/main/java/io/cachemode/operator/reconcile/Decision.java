package io.cachemode.operator.reconcile;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the phase machine decided for one reconcile: the status to write, the actions to perform,
 * the events to emit and when to look again.
 */
record Decision(
    StatusBuilder status, List<Action> actions, List<Note> notes, Optional<Duration> requeue) {

  /** An event (and, through its reason, a metric) to emit once the status is written. */
  record Note(boolean warning, String reason, String message) {
    static Note normal(String reason, String message) {
      return new Note(false, reason, message);
    }

    static Note warning(String reason, String message) {
      return new Note(true, reason, message);
    }
  }
}
