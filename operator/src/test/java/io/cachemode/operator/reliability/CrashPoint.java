package io.cachemode.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachemode.operator.api.Conditions;
import io.cachemode.operator.api.Phase;
import io.cachemode.operator.api.Reasons;
import java.time.Instant;

/**
 * A step of a transition at which the operator process is killed, and the end state the transition
 * must reach once another process has taken over.
 */
abstract class CrashPoint extends Step {
  CrashPoint(World w, String name) {
    super(w, name);
  }

  /** Records what must survive the crash unchanged. */
  void atKill() {}

  /** The phase the transition must end in. */
  abstract Phase end();

  /** Whether the transition has come to its end (then {@link #assertConverged} must hold). */
  boolean converged() {
    return w.phase(name) == end()
        && !w.reason(name, Conditions.READY, Reasons.RECONCILE_ERROR)
        && w.cm(name)
            .getStatus()
            .getObservedGeneration()
            .equals(w.cm(name).getMetadata().getGeneration());
  }

  /**
   * The end state, with exactly one restart per workload per change and a complete history.
   *
   * @param takeover when the new process (or standby) took the Lease
   */
  abstract void assertConverged(Instant takeover);

  /** Ready says why, and it is not a leftover error of the killed process. */
  void assertReadyAfter() {
    var ready = w.condition(name, Conditions.READY).orElseThrow();
    assertThat(ready.getReason()).as(name + " Ready reason").isNotEqualTo(Reasons.RECONCILE_ERROR);
    var cm = w.cm(name);
    assertThat(cm.getStatus().getObservedGeneration()).isEqualTo(cm.getMetadata().getGeneration());
  }
}
