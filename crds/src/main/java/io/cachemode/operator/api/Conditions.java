package io.cachemode.operator.api;

/** Condition types of a CacheMode, in the order a change passes them. */
public final class Conditions {
  public static final String SPEC_VALID = "SpecValid";
  public static final String SECRET_VALUE_VALID = "SecretValueValid";
  public static final String SECRET_SYNCED = "SecretSynced";
  public static final String ROLLOUT_COMPLETE = "RolloutComplete";
  public static final String HEALTHY = "Healthy";
  public static final String LOGS_CONFIRMED = "LogsConfirmed";
  public static final String REQUESTS_REDUCED = "RequestsReduced";

  /**
   * True only when every configured verification passed; Unknown (NotConfigured, Inconclusive,
   * InconclusiveAfterDeadline) when evidence is missing; False when disproven.
   */
  public static final String VERIFIED = "Verified";

  /** True only when applied, rolled out, and Verified is True or NotConfigured. */
  public static final String READY = "Ready";

  private Conditions() {}
}
