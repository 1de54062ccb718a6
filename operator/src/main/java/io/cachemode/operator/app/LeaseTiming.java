package io.cachemode.operator.app;

import io.cachemode.operator.support.Durations;
import java.time.Duration;
import java.util.Map;

/**
 * How the leader holds its Lease: it renews every {@code retryPeriod}, gives up leading when no
 * renewal succeeded for {@code renewDeadline}, and a standby takes the Lease once it was not
 * renewed for {@code leaseDuration}. JOSDK's 15 s / 10 s / 2 s lost the Lease under load
 * (bench/README.md) and cost a GET and a PATCH every 2 s while idle; the defaults here tolerate 20
 * s of a slow API server and renew every 5 s (24 requests a minute). The price: a standby takes
 * over up to 30 s after the leader crashed, not 15 s; a leader stopped with SIGTERM gives the Lease
 * up itself ({@link LeaseRelease}).
 */
public record LeaseTiming(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
  public static final LeaseTiming DEFAULTS =
      new LeaseTiming(Duration.ofSeconds(30), Duration.ofSeconds(20), Duration.ofSeconds(5));

  /**
   * client-go's rule, which the Fabric8 elector follows: the Lease outlasts the renew deadline, and
   * the deadline leaves room for more than one attempt (retries are jittered by up to 20 %).
   */
  public LeaseTiming {
    if (leaseDuration.compareTo(renewDeadline) <= 0) {
      throw new IllegalArgumentException(
          "LEASE_DURATION ("
              + Durations.format(leaseDuration)
              + ") must be longer than LEASE_RENEW_DEADLINE ("
              + Durations.format(renewDeadline)
              + ")");
    }
    if (renewDeadline.toMillis() <= retryPeriod.toMillis() * 12 / 10) {
      throw new IllegalArgumentException(
          "LEASE_RENEW_DEADLINE ("
              + Durations.format(renewDeadline)
              + ") must be longer than 1.2 x LEASE_RETRY_PERIOD ("
              + Durations.format(retryPeriod)
              + ")");
    }
    if (retryPeriod.compareTo(Duration.ofMillis(500)) < 0) {
      throw new IllegalArgumentException(
          "LEASE_RETRY_PERIOD must be at least 500ms, got " + Durations.format(retryPeriod));
    }
  }

  static LeaseTiming fromEnvironment(Map<String, String> env) {
    return new LeaseTiming(
        duration(env, "LEASE_DURATION", DEFAULTS.leaseDuration()),
        duration(env, "LEASE_RENEW_DEADLINE", DEFAULTS.renewDeadline()),
        duration(env, "LEASE_RETRY_PERIOD", DEFAULTS.retryPeriod()));
  }

  private static Duration duration(Map<String, String> env, String name, Duration dflt) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      return Durations.parse(v.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage());
    }
  }
}
