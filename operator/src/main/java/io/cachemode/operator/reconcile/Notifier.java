package io.cachemode.operator.reconcile;

import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.CacheModeStatus;
import io.cachemode.operator.api.Phase;
import io.cachemode.operator.api.RequestVerdict;
import io.cachemode.operator.audit.Events;
import io.cachemode.operator.audit.OperatorMetrics;
import io.cachemode.operator.reconcile.Decision.Note;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a written decision into Kubernetes Events and metrics: the machine's notes, the restarts,
 * each phase change, and what changed between the previous and the next status (a health result, a
 * verdict). Called only after the status was written, so a retried reconcile does not announce
 * twice what never got recorded.
 */
final class Notifier {
  private static final Set<Phase> BAD =
      Set.of(Phase.Failed, Phase.RollingBack, Phase.RolledBack, Phase.Ineffective);

  private final Events events;
  private final OperatorMetrics metrics;

  Notifier(Events events, OperatorMetrics metrics) {
    this.events = events;
    this.metrics = metrics;
  }

  void announce(CacheMode cm, Decision d, Executor.Results results) {
    for (Note n : d.notes()) {
      if (n.warning()) {
        events.warning(cm, n.reason(), n.message());
      } else {
        events.normal(cm, n.reason(), n.message());
      }
    }
    if (!results.restarted().isEmpty()) {
      results.restarted().forEach(w -> metrics.restart(w.substring(0, w.indexOf(' '))));
      events.normal(
          cm,
          "Restarted",
          "restarted "
              + String.join(", ", results.restarted())
              + " for flag hash "
              + d.status().transition().getFlagHash());
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

  private void phaseChanges(CacheMode cm, List<StatusBuilder.PhaseChange> changes) {
    for (StatusBuilder.PhaseChange c : changes) {
      metrics.transition(c.to().name());
      if (c.to() == Phase.RolledBack) {
        metrics.rollback("RolledBack");
      } else if (c.to() == Phase.Failed && c.from() == Phase.RollingBack) {
        metrics.rollback("Failed");
      }
      String message =
          (c.from() == null ? "new" : c.from())
              + " -> "
              + c.to()
              + " ("
              + c.reason()
              + "): "
              + c.message();
      if (BAD.contains(c.to())) {
        events.warning(cm, c.to().name(), message);
      } else {
        events.normal(cm, c.to().name(), message);
      }
    }
  }
}
