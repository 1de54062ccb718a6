package io.cachemode.operator.reconcile;

import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.CheckResult;
import io.cachemode.operator.api.Phase;
import io.cachemode.operator.api.RequestVerdict;
import io.cachemode.operator.audit.Events;
import io.cachemode.operator.audit.OperatorMetrics;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Turns what a reconcile did into Kubernetes Events and metrics. */
final class Notifier {
  private static final Set<Phase> BAD = Set.of(Phase.Failed, Phase.RollingBack, Phase.RolledBack);

  private final Events events;
  private final OperatorMetrics metrics;

  Notifier(Events events, OperatorMetrics metrics) {
    this.events = events;
    this.metrics = metrics;
  }

  void normal(CacheMode cm, String reason, String message) {
    events.normal(cm, reason, message);
  }

  void restarted(CacheMode cm, List<String> workloads, String hash) {
    workloads.forEach(w -> metrics.restart(w.substring(0, w.indexOf(' '))));
    events.normal(
        cm, "Restarted", "restarted " + String.join(", ", workloads) + " for flag hash " + hash);
  }

  void health(CacheMode cm, CheckResult overall, String summary) {
    metrics.healthCheck(overall.name());
    if (overall == CheckResult.Passed) {
      events.normal(cm, "HealthChecksPassed", summary);
    } else {
      events.warning(cm, "HealthCheck" + overall, summary);
    }
  }

  void requests(CacheMode cm, RequestVerdict verdict, String message) {
    metrics.requestVerdict(verdict.name());
    if (verdict == RequestVerdict.Reduced) {
      events.normal(cm, "RequestsReduced", message);
    } else {
      events.warning(cm, "Requests" + verdict, message);
    }
  }

  /** Warns about an invalid reference once, not on every recheck. */
  void invalid(CacheMode cm, StatusUpdate st, String reason, String message) {
    boolean repeated =
        st.previous().getConditions().stream()
            .anyMatch(
                c ->
                    c.getType().equals(Conditions.SPEC_VALID)
                        && Objects.equals(c.getReason(), reason)
                        && Objects.equals(c.getMessage(), message));
    if (!repeated) {
      events.warning(cm, reason, message);
    }
  }

  void phaseChanges(CacheMode cm, List<StatusUpdate.PhaseChange> changes) {
    for (StatusUpdate.PhaseChange c : changes) {
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
