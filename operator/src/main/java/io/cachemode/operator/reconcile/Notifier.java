package io.cachemode.operator.reconcile;

import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.CacheModeStatus;
import io.cachemode.operator.api.Phase;
import io.cachemode.operator.api.RequestVerdict;
import io.cachemode.operator.audit.Events;
import io.cachemode.operator.audit.OperatorMetrics;
import io.cachemode.operator.reconcile.Decision.Note;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a written decision into Kubernetes Events and metrics: the machine's notes, the restarts
 * (with the write they follow), the phases entered, and what changed between the previous and the
 * next status (a health result, a verdict). Called only after the status was written, so a retried
 * reconcile does not announce twice what never got recorded.
 */
final class Notifier {
  private static final Set<Phase> BAD =
      Set.of(Phase.Failed, Phase.RollingBack, Phase.RolledBack, Phase.Ineffective);

  /** The reason PhaseMachine gives the note of an ordinary write of the flag. */
  private static final String FLAG_WRITTEN = "FlagWritten";

  private final Events events;
  private final OperatorMetrics metrics;

  Notifier(Events events, OperatorMetrics metrics) {
    this.events = events;
    this.metrics = metrics;
  }

  void announce(CacheMode cm, Decision d, Executor.Results results) {
    boolean restarted = !results.restarted().isEmpty();
    List<String> written = new ArrayList<>();
    for (Note n : d.notes()) {
      if (restarted && FLAG_WRITTEN.equals(n.reason())) {
        // The restart that follows the write says it: one Event for both.
        written.add(n.message());
      } else if (n.warning()) {
        events.warning(cm, n.reason(), n.message());
      } else {
        events.normal(cm, n.reason(), n.message());
      }
    }
    if (restarted) {
      results.restarted().forEach(w -> metrics.restart(w.substring(0, w.indexOf(' '))));
      written.add(
          "restarted "
              + String.join(", ", results.restarted())
              + " for flag hash "
              + d.status().transition().getFlagHash());
      events.normal(cm, "Restarted", String.join("; ", written));
    }
    phaseChanges(cm, d.status().phaseChanges());
    CacheModeStatus before = d.status().previous();
    CacheModeStatus after = d.status().next();
    if (after.getHealth() != null && !Objects.equals(before.getHealth(), after.getHealth())) {
      metrics.healthCheck(after.getHealth().name());
    }
    verdict(after)
        .filter(v -> !v.equals(verdict(before).orElse(null)))
        .ifPresent(v -> metrics.requestVerdict(v.name()));
    metrics.ineffective(cm, after.getPhase() == Phase.Ineffective);
  }

  private static Optional<RequestVerdict> verdict(CacheModeStatus s) {
    return Optional.ofNullable(s.getRequests()).map(r -> r.getVerdict());
  }

  /**
   * One Event per phase entered, except that normal phases passed through within one reconcile
   * (Verifying on the way to Suspended) are named in the next one's Event instead of an Event of
   * their own. Warnings are never folded: each is what someone looks for.
   */
  private void phaseChanges(CacheMode cm, List<StatusBuilder.PhaseChange> changes) {
    List<String> passed = new ArrayList<>();
    for (int i = 0; i < changes.size(); i++) {
      StatusBuilder.PhaseChange c = changes.get(i);
      metrics.transition(c.to().name());
      if (c.to() == Phase.RolledBack) {
        metrics.rollback("RolledBack");
      } else if (c.to() == Phase.Failed && c.from() == Phase.RollingBack) {
        metrics.rollback("Failed");
      }
      boolean warning = BAD.contains(c.to());
      if (passed.isEmpty()) {
        passed.add(c.from() == null ? "new" : c.from().name());
      }
      if (!warning && i + 1 < changes.size()) {
        passed.add(c.to() + " (" + c.reason() + ")");
        continue;
      }
      String message =
          String.join(" -> ", passed) + " -> " + c.to() + " (" + c.reason() + "): " + c.message();
      passed.clear();
      if (warning) {
        events.warning(cm, c.to().name(), message);
      } else {
        events.normal(cm, c.to().name(), message);
      }
    }
  }
}
