package io.cachemode.operator.api;

/** Where a change stands. */
public enum Phase {
  Pending,
  Planned,
  RollingOut,
  Verifying,
  Suspended,
  Active,
  RollingBack,
  RolledBack,
  Failed
}
