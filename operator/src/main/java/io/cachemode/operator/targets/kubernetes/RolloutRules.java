package io.cachemode.operator.targets.kubernetes;

import io.cachemode.operator.api.ApiConstants;
import io.cachemode.operator.api.WorkloadResult;
import io.cachemode.operator.targets.WorkloadState;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Whether a workload finished rolling out, by the rules of {@code kubectl rollout status}, and
 * whether its pods were restarted for a given flag hash. Pure: reads only the objects it is given.
 */
final class RolloutRules {
  private RolloutRules() {}

  /** A reason the rollout is not complete. */
  private record Progress(WorkloadResult result, String message) {
    static Optional<Progress> rolling(String message) {
      return Optional.of(new Progress(WorkloadResult.RollingOut, message));
    }
  }

  static WorkloadState deployment(Deployment d, String flagHash) {
    DeploymentStatus s = Objects.requireNonNullElseGet(d.getStatus(), DeploymentStatus::new);
    int desired = Objects.requireNonNullElse(d.getSpec().getReplicas(), 1);
    int updated = orZero(s.getUpdatedReplicas());
    int total = orZero(s.getReplicas());
    int available = orZero(s.getAvailableReplicas());
    return state(
        d,
        d.getSpec().getTemplate(),
        s.getObservedGeneration(),
        desired,
        updated,
        orZero(s.getReadyReplicas()),
        flagHash,
        () -> {
          if (progressDeadlineExceeded(s)) {
            return Optional.of(
                new Progress(
                    WorkloadResult.Failed,
                    "progress deadline exceeded (Progressing=False, ProgressDeadlineExceeded)"));
          }
          if (updated < desired) {
            return Progress.rolling(updated + " of " + desired + " replicas updated");
          }
          if (total > updated) {
            return Progress.rolling((total - updated) + " old replicas pending termination");
          }
          if (available < updated) {
            return Progress.rolling(available + " of " + updated + " updated replicas available");
          }
          return Optional.empty();
        });
  }

  static WorkloadState statefulSet(StatefulSet sts, String flagHash) {
    StatefulSetStatus s = Objects.requireNonNullElseGet(sts.getStatus(), StatefulSetStatus::new);
    int desired = Objects.requireNonNullElse(sts.getSpec().getReplicas(), 1);
    int updated = orZero(s.getUpdatedReplicas());
    int ready = orZero(s.getReadyReplicas());
    int partition = partition(sts);
    return state(
        sts,
        sts.getSpec().getTemplate(),
        s.getObservedGeneration(),
        desired,
        updated,
        ready,
        flagHash,
        () -> {
          if (ready < desired) {
            return Progress.rolling(ready + " of " + desired + " replicas ready");
          }
          if (partition > 0 && updated < desired - partition) {
            return Progress.rolling(
                updated + " of " + (desired - partition) + " replicas above the partition updated");
          }
          if (partition == 0 && !Objects.equals(s.getUpdateRevision(), s.getCurrentRevision())) {
            return Progress.rolling(updated + " of " + desired + " replicas updated");
          }
          return Optional.empty();
        });
  }

  /**
   * The checks every kind shares (restarted for this hash? controller caught up?), then the kind's
   * own rules.
   */
  private static WorkloadState state(
      HasMetadata w,
      PodTemplateSpec template,
      Long observedGeneration,
      int desired,
      int updated,
      int ready,
      String flagHash,
      Supplier<Optional<Progress>> kindRules) {
    Map<String, String> annotations =
        template.getMetadata() == null || template.getMetadata().getAnnotations() == null
            ? Map.of()
            : template.getMetadata().getAnnotations();
    String hash = annotations.get(ApiConstants.FLAG_HASH_ANNOTATION);
    Optional<Progress> progress;
    if (!flagHash.equals(hash)) {
      progress =
          Optional.of(new Progress(WorkloadResult.Pending, "not restarted for this change yet"));
    } else if (observedGeneration == null || w.getMetadata().getGeneration() > observedGeneration) {
      progress =
          Progress.rolling(
              "waiting for the "
                  + w.getKind().toLowerCase(java.util.Locale.ROOT)
                  + " controller to observe the restart");
    } else {
      progress = kindRules.get();
    }
    return new WorkloadState(
        w.getKind(),
        w.getMetadata().getName(),
        hash,
        annotations.get(ApiConstants.RESTARTED_AT_ANNOTATION),
        observedGeneration,
        desired,
        updated,
        ready,
        progress.map(Progress::result).orElse(WorkloadResult.Complete),
        progress.map(Progress::message).orElse(null));
  }

  /**
   * Whether an update of a workload can change what these rules (or the selector mapping) conclude:
   * its status as the controller reports it, its labels, its deletion. A spec change alone (the
   * operator's own restart patch included) is not: the controller answers every new generation with
   * a status write carrying it as observedGeneration, and that update passes. So the controller's
   * several status writes per rollout and the operator's own patch cost a reconcile only when
   * something read here changed.
   */
  static boolean changesWhatRulesRead(HasMetadata now, HasMetadata before) {
    return !read(now).equals(read(before));
  }

  /** What of a workload's update {@link #changesWhatRulesRead} compares. */
  private record Read(
      Map<String, String> labels,
      boolean deleting,
      Long observedGeneration,
      Integer replicas,
      Integer updated,
      Integer ready,
      Integer available,
      boolean deadlineExceeded,
      String currentRevision,
      String updateRevision) {}

  private static Read read(HasMetadata w) {
    Map<String, String> labels = w.getMetadata().getLabels();
    boolean deleting = w.getMetadata().getDeletionTimestamp() != null;
    if (w instanceof Deployment d) {
      DeploymentStatus s = Objects.requireNonNullElseGet(d.getStatus(), DeploymentStatus::new);
      return new Read(
          labels,
          deleting,
          s.getObservedGeneration(),
          s.getReplicas(),
          s.getUpdatedReplicas(),
          s.getReadyReplicas(),
          s.getAvailableReplicas(),
          progressDeadlineExceeded(s),
          null,
          null);
    }
    StatefulSetStatus s =
        Objects.requireNonNullElseGet(((StatefulSet) w).getStatus(), StatefulSetStatus::new);
    return new Read(
        labels,
        deleting,
        s.getObservedGeneration(),
        s.getReplicas(),
        s.getUpdatedReplicas(),
        s.getReadyReplicas(),
        s.getAvailableReplicas(),
        false,
        s.getCurrentRevision(),
        s.getUpdateRevision());
  }

  private static boolean progressDeadlineExceeded(DeploymentStatus s) {
    return s.getConditions() != null
        && s.getConditions().stream()
            .anyMatch(
                c ->
                    "Progressing".equals(c.getType())
                        && "ProgressDeadlineExceeded".equals(c.getReason()));
  }

  private static int partition(StatefulSet sts) {
    var strategy = sts.getSpec().getUpdateStrategy();
    if (strategy == null || strategy.getRollingUpdate() == null) {
      return 0;
    }
    return orZero(strategy.getRollingUpdate().getPartition());
  }

  private static int orZero(Integer i) {
    return i == null ? 0 : i;
  }
}
