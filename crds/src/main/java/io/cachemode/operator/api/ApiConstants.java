package io.cachemode.operator.api;

/**
 * Names shared by the CRD, the operator and the chart, so they are spelled in exactly one place.
 */
public final class ApiConstants {
  public static final String GROUP = "cachemode.io";
  public static final String VERSION = "v1alpha1";
  public static final String KIND = "CacheMode";
  public static final String PLURAL = "cachemodes";
  public static final String SHORT_NAME = "cmode";

  /** Field manager of every server-side apply the operator makes. */
  public static final String FIELD_MANAGER = "cachemode-operator";

  /** Pod-template annotation: hash of the flag value the pods were restarted for. */
  public static final String FLAG_HASH_ANNOTATION = GROUP + "/flag-hash";

  /** Pod-template annotation that {@code kubectl rollout restart} also sets. */
  public static final String RESTARTED_AT_ANNOTATION = "kubectl.kubernetes.io/restartedAt";

  /**
   * Label on a Secret whose key a CacheMode manages. Its value is the managed key, so the admission
   * policy can refuse non-boolean writes to exactly that key and the operator can narrow its Secret
   * informer to labelled Secrets.
   */
  public static final String MANAGED_KEY_LABEL = GROUP + "/managed-key";

  /**
   * Annotation on a managed Secret naming the CacheMode ({@code namespace/name}) that owns the key.
   */
  public static final String OWNER_ANNOTATION = GROUP + "/owner";

  public static final String DEFAULT_FLAG_KEY = "SUSPEND_REDIS";

  private ApiConstants() {}
}
