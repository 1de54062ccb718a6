package io.cachemode.operator.reconcile;

import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.CacheModeSpec;
import io.cachemode.operator.reconcile.Decision.Note;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One decision in the making: the next status, the actions and events decided so far and the
 * earliest time to look again. Shared by the parts of the phase machine; pure, no I/O.
 */
final class Step {
  final CacheMode cm;
  final CacheModeSpec spec;
  final Observation obs;
  final StatusBuilder status;
  private final List<Action> actions = new ArrayList<>();
  private final List<Note> notes = new ArrayList<>();
  private Duration requeue;

  Step(CacheMode cm, Observation obs) {
    this.cm = cm;
    this.spec = cm.getSpec();
    this.obs = obs;
    this.status = StatusBuilder.from(cm, obs.now());
  }

  Instant now() {
    return obs.now();
  }

  void act(Action a) {
    actions.add(a);
  }

  void normal(String reason, String message) {
    notes.add(Note.normal(reason, message));
  }

  void warning(String reason, String message) {
    notes.add(Note.warning(reason, message));
  }

  /** Look again after {@code d} at the latest (the earliest of all such requests wins). */
  void lookAgainAfter(Duration d) {
    Duration bounded = d.isNegative() ? Duration.ZERO : d;
    if (requeue == null || bounded.compareTo(requeue) < 0) {
      requeue = bounded;
    }
  }

  /** Look again at {@code at} at the latest. */
  void lookAgainAt(Instant at) {
    lookAgainAfter(Duration.between(now(), at));
  }

  Decision decision() {
    return new Decision(
        status, List.copyOf(actions), List.copyOf(notes), Optional.ofNullable(requeue));
  }
}
