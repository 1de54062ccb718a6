package io.cachemode.operator.api;

/** Workload kinds the operator can restart. */
public enum WorkloadKind {
  Deployment,
  StatefulSet
}
