package io.cachemode.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachemode.operator.api.Phase;
import io.cachemode.operator.app.LeaseTiming;
import io.cachemode.operator.testing.OperatorProcess;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A leader stopped the way Kubernetes stops a pod (SIGTERM) exits promptly and releases its Lease,
 * so the standby takes over at its next try instead of waiting out the lease; then it serves.
 */
class LeaderShutdownIT extends InstalledOperator {
  /**
   * A Lease that is not released is free only a lease duration (30 s) after its last renewal, which
   * came at most a retry period (5 s) before the SIGTERM: 25 s at the earliest. A takeover 5 s
   * sooner than that means the Lease was released; the rest is room for the leader's exit on a
   * loaded machine (10.8 s once, with a 1,000-app benchmark beside the tests).
   */
  private static final Duration RELEASED_TAKEOVER =
      LeaseTiming.DEFAULTS
          .leaseDuration()
          .minus(LeaseTiming.DEFAULTS.retryPeriod())
          .minus(Duration.ofSeconds(5));

  @Override
  String release() {
    return "shutdown";
  }

  @Test
  void aTerminatedLeaderExitsAndReleasesItsLeaseToTheStandby() throws Exception {
    try (OperatorProcess a = operator("term-a");
        OperatorProcess b = operator("term-b")) {
      String leader =
          await("a leader")
              .atMost(Duration.ofSeconds(90))
              .until(install::leaseHolder, h -> a.identity.equals(h) || b.identity.equals(h));
      OperatorProcess stopped = leader.equals(a.identity) ? a : b;
      OperatorProcess standby = stopped == a ? b : a;

      Instant terminated = Instant.now();
      assertThat(stopped.terminate(Duration.ofSeconds(15)))
          .as("the leader exits on SIGTERM (no shutdown deadlock)")
          .isTrue();
      await(standby.identity + " takes the Lease")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(install::leaseHolder, standby.identity::equals);
      Duration takeover = Duration.between(terminated, Instant.now());
      System.err.printf(
          "[LeaderShutdownIT] SIGTERM to %s: exited and %s held the Lease %d ms later%n",
          stopped.identity, standby.identity, takeover.toMillis());
      assertThat(takeover)
          .as("the Lease was released, not waited out")
          .isLessThan(RELEASED_TAKEOVER);

      world.fx.secret("after-env", java.util.Map.of(CrashPoint.KEY, "false"));
      world.deployment("after", "after-env");
      world.cacheMode("after", "");
      world.fx.awaitPhase("after", Phase.Suspended);
      assertThat(world.replicaSets("after")).isEqualTo(2);
    }
  }
}
