package io.cachemode.operator.reconcile;

/** Condition types of a CacheMode, in the order a change passes them. */
public final class Conditions {
  public static final String SPEC_VALID = "SpecValid";
  public static final String SECRET_VALUE_VALID = "SecretValueValid";
  public static final String SECRET_SYNCED = "SecretSynced";
  public static final String ROLLOUT_COMPLETE = "RolloutComplete";
  public static final String HEALTHY = "Healthy";
  public static final String REQUESTS_REDUCED = "RequestsReduced";
  public static final String READY = "Ready";

  private Conditions() {}
}
