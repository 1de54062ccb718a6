package io.cachemode.operator.api;

/** Condition and event reasons (CamelCase), spelled once for the operator, tests and docs. */
public final class Reasons {
  // Verified
  public static final String VERIFIED = "Verified";
  public static final String NOT_CONFIGURED = "NotConfigured";
  public static final String INCONCLUSIVE = "Inconclusive";
  public static final String INCONCLUSIVE_AFTER_DEADLINE = "InconclusiveAfterDeadline";
  public static final String REQUESTS_NOT_REDUCED = "RequestsNotReduced";
  public static final String REQUESTS_NOT_RESUMED = "RequestsNotResumed";
  public static final String REQUESTS_RETURNED = "RequestsReturned";
  public static final String HEALTH_CHECK_FAILED = "HealthCheckFailed";
  public static final String LOG_CHECK_FAILED = "LogCheckFailed";
  public static final String VERIFYING = "Verifying";

  // Ready
  public static final String APPLIED_UNVERIFIED = "AppliedUnverified";
  public static final String INEFFECTIVE = "Ineffective";
  public static final String ROLLING_OUT = "RollingOut";
  public static final String ROLLING_BACK = "RollingBack";
  public static final String ROLLED_BACK = "RolledBack";
  public static final String BASELINING = "Baselining";
  public static final String DRY_RUN = "DryRun";
  public static final String RECONCILE_ERROR = "ReconcileError";

  // SpecValid and rollout
  public static final String VALID = "Valid";
  public static final String CONFLICT = "Conflict";
  public static final String WORKLOAD_DOES_NOT_READ_FLAG = "WorkloadDoesNotReadFlag";
  public static final String ROLLOUT_FAILED = "RolloutFailed";

  /** A rollout that had completed is no longer complete while the change is verified. */
  public static final String ROLLOUT_REGRESSED = "RolloutRegressed";

  public static final String ROLLOUT_TIMED_OUT = "RolloutTimedOut";
  public static final String ROLLBACK_FAILED = "RollbackFailed";

  // SecretSynced
  public static final String WRITTEN = "Written";
  public static final String IN_SYNC = "InSync";
  public static final String CONTESTED = "Contested";

  private Reasons() {}
}
