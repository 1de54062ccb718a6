package io.cachemode.operator.reconcile;

import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.support.Durations;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Lets a burst of spec edits settle before acting, so that "true, false, true" typed in quick
 * succession ends in one applied value and one restart. The time of the last spec edit comes from
 * the object's managedFields (the API server's record of who wrote what, when), not from operator
 * memory, so it survives operator restarts.
 */
final class Coalescing {
  private Coalescing() {}

  /** Time still to wait before acting on {@code cm}'s spec, or empty to act now. */
  static Optional<Duration> remaining(CacheMode cm, Instant now) {
    Duration settle = Durations.parse(cm.getSpec().getRollout().getSettle());
    return cm.getMetadata().getManagedFields().stream()
        .filter(f -> f.getSubresource() == null || f.getSubresource().isEmpty())
        .map(ManagedFieldsEntry::getTime)
        .filter(t -> t != null && !t.isEmpty())
        .map(Instant::parse)
        .max(Instant::compareTo)
        .map(last -> Duration.between(now, last.plus(settle)))
        .filter(d -> d.compareTo(Duration.ZERO) > 0);
  }
}
