package io.cachemode.operator.reconcile;

import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.KubernetesTargetSpec;
import io.cachemode.operator.api.WorkloadReference;
import io.cachemode.operator.flag.FlagLocation;
import io.cachemode.operator.targets.TargetFactory;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Decides which CacheMode manages a flag location, or restarts a named workload, when several name
 * the same one: the oldest (then the first by name), a rule every reconcile evaluates the same way,
 * so the loser stays refused and nothing flaps.
 */
final class Claims {
  private static final Comparator<CacheMode> SENIORITY =
      Comparator.comparing((CacheMode c) -> c.getMetadata().getCreationTimestamp())
          .thenComparing(c -> c.getMetadata().getName());

  private Claims() {}

  /**
   * A message naming the CacheMode that owns {@code cm}'s location or one of its named workloads,
   * when that is another one.
   */
  static Optional<String> conflict(CacheMode cm, Stream<CacheMode> sameNamespace) {
    List<CacheMode> live =
        sameNamespace.filter(other -> other.getMetadata().getDeletionTimestamp() == null).toList();
    return locationOwner(cm, live).or(() -> sharedWorkload(cm, live));
  }

  private static Optional<String> locationOwner(CacheMode cm, List<CacheMode> live) {
    FlagLocation location = TargetFactory.location(cm);
    return live.stream()
        .filter(other -> location.id().equals(TargetFactory.location(other).id()))
        .min(SENIORITY)
        .filter(owner -> !isSelf(owner, cm))
        .map(
            owner ->
                location
                    + " is already managed by CacheMode "
                    + owner.getMetadata().getName()
                    + "; delete one of the two or point this one at another key");
  }

  /**
   * A workload follows one CacheMode: each restart stamps the workload's template with its own
   * CacheMode's flag hash, so two CacheModes restarting one Deployment would each undo the other's
   * stamp and restart it again, without end.
   */
  private static Optional<String> sharedWorkload(CacheMode cm, List<CacheMode> live) {
    Set<String> mine = namedWorkloads(cm);
    return live.stream()
        .filter(other -> !isSelf(other, cm) && SENIORITY.compare(other, cm) < 0)
        .sorted(SENIORITY)
        .flatMap(
            older ->
                namedWorkloads(older).stream()
                    .filter(mine::contains)
                    .findFirst()
                    .map(
                        workload ->
                            workload
                                + " is already restarted by CacheMode "
                                + older.getMetadata().getName()
                                + "; a workload can follow one CacheMode (each restart would undo"
                                + " the other's), so name it in only one of the two")
                    .stream())
        .findFirst();
  }

  private static Set<String> namedWorkloads(CacheMode cm) {
    KubernetesTargetSpec k = cm.getSpec().getTarget().getKubernetes();
    Set<String> names = new LinkedHashSet<>();
    if (k != null && k.getWorkloads() != null) {
      for (WorkloadReference w : k.getWorkloads()) {
        names.add(w.getKind() + " " + w.getName());
      }
    }
    return names;
  }

  private static boolean isSelf(CacheMode other, CacheMode cm) {
    return other.getMetadata().getUid().equals(cm.getMetadata().getUid());
  }
}
