package io.cachemode.operator.targets;

import io.cachemode.operator.api.WorkloadResult;

/**
 * One workload's rollout with respect to a flag hash.
 *
 * @param kind Deployment, StatefulSet, or Machine for Fly
 * @param flagHash the flag hash its pods were last restarted for, null when never restarted by the
 *     operator
 * @param restartedAt RFC 3339 time of that restart, null when never restarted
 */
public record WorkloadState(
    String kind,
    String name,
    String flagHash,
    String restartedAt,
    Long observedGeneration,
    int replicas,
    int updatedReplicas,
    int readyReplicas,
    WorkloadResult result,
    String message) {

  /**
   * Whether there is nothing more to wait for: rolled out, or {@link WorkloadResult#Skipped} (it
   * cannot be updated now, and the rollout must not stall behind it; {@code message} says why, for
   * a condition).
   */
  public boolean complete() {
    return result == WorkloadResult.Complete || result == WorkloadResult.Skipped;
  }
}
