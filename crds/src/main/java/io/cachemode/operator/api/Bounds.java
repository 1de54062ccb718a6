package io.cachemode.operator.api;

/**
 * Limits the API server enforces on a CacheMode spec, so that one CacheMode cannot make the
 * operator do unbounded work (hundreds of slow checks) or store unbounded text. The CEL rules of
 * the CRD stay far within the API server's cost budget because every list, map and string they
 * touch is bounded here.
 */
public final class Bounds {
  public static final int HEALTH_CHECKS = 10;
  public static final int WORKLOADS = 50;
  public static final int SELECTOR_LABELS = 16;
  public static final int HEALTH_CHECK_ATTEMPTS = 10;

  /** DNS label (RFC 1123): names of checks and Fly apps. */
  public static final int LABEL = 63;

  /** DNS subdomain (RFC 1123): names of Secrets and workloads, Secret keys. */
  public static final int NAME = 253;

  /**
   * An object name as Kubernetes validates it (RFC 1123 subdomain): refused at admission rather
   * than by a failing lookup in every reconcile.
   */
  public static final String OBJECT_NAME_PATTERN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** A label value that is not empty: alphanumerics with {@code -_.} inside. */
  public static final String LABEL_VALUE_PATTERN = "^[A-Za-z0-9]([-._A-Za-z0-9]*[A-Za-z0-9])?$";

  public static final int URL = 2048;
  public static final int DURATION = 16;
  public static final int BODY_TEXT = 1024;
  public static final int JSON_POINTER = 256;
  public static final int QUERY = 4096;
  public static final int DATABASE_ID = 128;

  /** A timeout of one health-check attempt. */
  public static final String CHECK_TIMEOUT_RULE =
      "duration(self) >= duration('100ms') && duration(self) <= duration('1m')";

  /** A pause between two health-check attempts. */
  public static final String CHECK_INTERVAL_RULE = "duration(self) <= duration('1m')";

  /** The rollout deadline and the request window. */
  public static final String LONG_DURATION_RULE =
      "duration(self) >= duration('1s') && duration(self) <= duration('24h')";

  private Bounds() {}
}
