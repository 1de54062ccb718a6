package io.cachemode.operator.api;

/** Where a change stands. */
public enum Phase {
  /** Waiting for valid references (or for the managing CacheMode of a contested key). */
  Pending,
  /** Dry run: status.plannedChanges says what a real run would do. */
  Planned,
  /** Sampling the GET rate before anything is written (methods without a lifetime counter). */
  Baselining,
  /** The flag is written and the workloads are restarting. */
  RollingOut,
  /** Rolled out; health checks, log checks and the GET-rate window are running. */
  Verifying,
  /** Redis suspended, verified (or nothing configured to verify: see the Verified condition). */
  Suspended,
  /** Redis active, verified (or nothing configured to verify: see the Verified condition). */
  Active,
  /**
   * Applied and rolled out, but the measurements say it did not take effect (GETs did not fall, or
   * came back). Not rolled back: that would switch Redis on again. Re-measured while watching.
   */
  Ineffective,
  /** Restoring the previous value after a failed rollout or health check. */
  RollingBack,
  /** The previous value is restored; edit the spec to try again. */
  RolledBack,
  /** The change (or its rollback) failed; edit the spec to try again. */
  Failed
}
