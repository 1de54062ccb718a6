package io.cachemode.operator.target.kubernetes;

import io.cachemode.operator.api.ApiConstants;
import io.cachemode.operator.api.WorkloadResult;
import io.cachemode.operator.target.WorkloadState;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import java.util.Map;
import java.util.Objects;

/**
 * Whether a workload finished rolling out, by the rules of {@code kubectl rollout status}, and
 * whether its pods were restarted for a given flag hash. Pure: reads only the objects it is given.
 */
final class RolloutRules {
  private RolloutRules() {}

  static WorkloadState deployment(Deployment d, String flagHash) {
    var annotations = templateAnnotations(d.getSpec().getTemplate().getMetadata());
    String hash = annotations.get(ApiConstants.FLAG_HASH_ANNOTATION);
    String restartedAt = annotations.get(ApiConstants.RESTARTED_AT_ANNOTATION);
    DeploymentStatus s = Objects.requireNonNullElseGet(d.getStatus(), DeploymentStatus::new);
    int desired = Objects.requireNonNullElse(d.getSpec().getReplicas(), 1);
    int updated = orZero(s.getUpdatedReplicas());
    int total = orZero(s.getReplicas());
    int available = orZero(s.getAvailableReplicas());
    int ready = orZero(s.getReadyReplicas());
    Long observed = s.getObservedGeneration();

    WorkloadResult result;
    String message;
    if (!flagHash.equals(hash)) {
      result = WorkloadResult.Pending;
      message = "not restarted for this change yet";
    } else if (observed == null || d.getMetadata().getGeneration() > observed) {
      result = WorkloadResult.RollingOut;
      message = "waiting for the deployment controller to observe the restart";
    } else if (progressDeadlineExceeded(s)) {
      result = WorkloadResult.Failed;
      message = "progress deadline exceeded (Progressing=False, ProgressDeadlineExceeded)";
    } else if (updated < desired) {
      result = WorkloadResult.RollingOut;
      message = updated + " of " + desired + " replicas updated";
    } else if (total > updated) {
      result = WorkloadResult.RollingOut;
      message = (total - updated) + " old replicas pending termination";
    } else if (available < updated) {
      result = WorkloadResult.RollingOut;
      message = available + " of " + updated + " updated replicas available";
    } else {
      result = WorkloadResult.Complete;
      message = null;
    }
    return new WorkloadState(
        "Deployment",
        d.getMetadata().getName(),
        hash,
        restartedAt,
        observed,
        desired,
        updated,
        ready,
        result,
        message);
  }

  static WorkloadState statefulSet(StatefulSet sts, String flagHash) {
    var annotations = templateAnnotations(sts.getSpec().getTemplate().getMetadata());
    String hash = annotations.get(ApiConstants.FLAG_HASH_ANNOTATION);
    String restartedAt = annotations.get(ApiConstants.RESTARTED_AT_ANNOTATION);
    StatefulSetStatus s = Objects.requireNonNullElseGet(sts.getStatus(), StatefulSetStatus::new);
    int desired = Objects.requireNonNullElse(sts.getSpec().getReplicas(), 1);
    int updated = orZero(s.getUpdatedReplicas());
    int ready = orZero(s.getReadyReplicas());
    int partition = partition(sts);
    Long observed = s.getObservedGeneration();

    WorkloadResult result;
    String message;
    if (!flagHash.equals(hash)) {
      result = WorkloadResult.Pending;
      message = "not restarted for this change yet";
    } else if (observed == null || sts.getMetadata().getGeneration() > observed) {
      result = WorkloadResult.RollingOut;
      message = "waiting for the statefulset controller to observe the restart";
    } else if (ready < desired) {
      result = WorkloadResult.RollingOut;
      message = ready + " of " + desired + " replicas ready";
    } else if (partition > 0 && updated < desired - partition) {
      result = WorkloadResult.RollingOut;
      message = updated + " of " + (desired - partition) + " replicas above the partition updated";
    } else if (partition == 0 && !Objects.equals(s.getUpdateRevision(), s.getCurrentRevision())) {
      result = WorkloadResult.RollingOut;
      message = updated + " of " + desired + " replicas updated";
    } else {
      result = WorkloadResult.Complete;
      message = null;
    }
    return new WorkloadState(
        "StatefulSet",
        sts.getMetadata().getName(),
        hash,
        restartedAt,
        observed,
        desired,
        updated,
        ready,
        result,
        message);
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

  private static Map<String, String> templateAnnotations(ObjectMeta meta) {
    return meta == null || meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
  }

  private static int orZero(Integer i) {
    return i == null ? 0 : i;
  }
}
