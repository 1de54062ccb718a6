package io.cachemode.operator.reconcile;

import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.flag.FlagLocation;
import io.cachemode.operator.targets.TargetFactory;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Decides which CacheMode manages a flag location when several name the same one: the oldest (then
 * the first by name), a rule every reconcile evaluates the same way, so the loser stays refused and
 * nothing flaps.
 */
final class Claims {
  private static final Comparator<CacheMode> SENIORITY =
      Comparator.comparing((CacheMode c) -> c.getMetadata().getCreationTimestamp())
          .thenComparing(c -> c.getMetadata().getName());

  private Claims() {}

  /** A message naming the CacheMode that owns {@code cm}'s location, when that is another one. */
  static Optional<String> conflict(CacheMode cm, Stream<CacheMode> sameNamespace) {
    FlagLocation location = TargetFactory.location(cm);
    return sameNamespace
        .filter(other -> other.getMetadata().getDeletionTimestamp() == null)
        .filter(other -> location.id().equals(TargetFactory.location(other).id()))
        .min(SENIORITY)
        .filter(owner -> !owner.getMetadata().getUid().equals(cm.getMetadata().getUid()))
        .map(
            owner ->
                location
                    + " is already managed by CacheMode "
                    + owner.getMetadata().getName()
                    + "; delete one of the two or point this one at another key");
  }
}
