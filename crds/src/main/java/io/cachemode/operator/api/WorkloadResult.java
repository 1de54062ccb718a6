package io.cachemode.operator.api;

/** Rollout state of one workload. */
public enum WorkloadResult {
  Pending,
  RollingOut,
  Complete,
  Failed,
  TimedOut
}
