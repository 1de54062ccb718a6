package io.cachemode.operator.api;

/** Rollout state of one workload. */
public enum WorkloadResult {
  Pending,
  RollingOut,
  Complete,
  Failed,
  TimedOut,
  /**
   * Left out of the rollout because it cannot be updated now (a Fly machine whose host is not ok or
   * whose config Fly returned incomplete); the message says why. The rollout does not wait for it.
   */
  Skipped
}
