package io.cachemode.operator.targets;

/**
 * How a workload's pod template reads the flag key, as {@link Target#flagUse()} reports it. A
 * restart only helps if the new pods read the key; one that does not is reported, not blocked,
 * since an app may read the flag another way.
 */
public final class FlagUse {
  /** No container or init container references the key. */
  public static final String NOT_REFERENCED = "NotReferenced";

  private FlagUse() {}

  /** {@code envFrom} of the whole Secret, in container {@code container}. */
  public static String envFrom(String container) {
    return "envFrom in container " + container;
  }

  /** An {@code env} entry with {@code secretKeyRef} to the key. */
  public static String env(String variable, String container) {
    return "env " + variable + " in container " + container;
  }

  /** A volume of the Secret (all keys, or the key among its items). */
  public static String volume(String volume) {
    return "volume " + volume;
  }
}
