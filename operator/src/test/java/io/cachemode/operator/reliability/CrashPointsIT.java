package io.cachemode.operator.reliability;

import static org.awaitility.Awaitility.await;

import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.Conditions;
import io.cachemode.operator.testing.OperatorProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The packaged operator, authenticated with the chart's ServiceAccount, is SIGKILLed while every
 * crash point of issue 13 shows its step in the world at once (see {@link CrashPoints}); then a new
 * process, or the standby replica taking the Lease, must finish every transition with exactly one
 * restart per workload per change, a complete history, and windows that are not restarted.
 */
class CrashPointsIT extends InstalledOperator {
  @Override
  String release() {
    return "crash";
  }

  @Test
  void aNewProcessFinishesEveryTransitionCutAtEveryStep() throws Exception {
    round("new", false);
  }

  @Test
  void theStandbyTakingTheLeaseFinishesEveryTransitionCutAtEveryStep() throws Exception {
    round("standby", true);
  }

  private void round(String prefix, boolean standby) throws Exception {
    List<CrashPoint> points = CrashPoints.all(world, http, prefix);
    List<OperatorProcess> processes = new ArrayList<>();
    try {
      for (CrashPoint p : points) {
        p.arrange();
      }
      OperatorProcess first = operator(prefix + "-a");
      processes.add(first);
      OperatorProcess second = standby ? operator(prefix + "-b") : null;
      processes.add(second);
      String leader =
          await("a leader")
              .atMost(Duration.ofSeconds(90))
              .until(
                  install::leaseHolder,
                  h -> first.identity.equals(h) || (second != null && second.identity.equals(h)));
      OperatorProcess killed = leader.equals(first.identity) ? first : second;
      await("every crash point at its step")
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(250))
          .failFast("the operator process exited", () -> !killed.isAlive())
          .conditionEvaluationListener(
              c -> {
                if (!c.isSatisfied() && c.getRemainingTimeInMS() < 1000) {
                  System.err.println("[CrashPointsIT] not at their step: " + unreached(points));
                }
              })
          .until(() -> points.stream().allMatch(CrashPoint::reached));
      points.forEach(CrashPoint::atKill);
      Instant killedAt = Instant.now();
      killed.kill();

      OperatorProcess next = standby ? (killed == first ? second : first) : operator(prefix + "-c");
      processes.add(next);
      await(next.identity + " takes the Lease")
          .atMost(Duration.ofSeconds(90))
          .until(install::leaseHolder, next.identity::equals);
      Instant takeover = Instant.now();
      points.forEach(CrashPoint::release);
      await("every transition finished")
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofMillis(500))
          .conditionEvaluationListener(
              c -> {
                if (!c.isSatisfied() && c.getRemainingTimeInMS() < 1000) {
                  System.err.println("[CrashPointsIT] not finished: " + unfinished(points));
                }
              })
          .until(() -> points.stream().allMatch(CrashPoint::converged));
      Instant done = Instant.now();
      for (CrashPoint p : points) {
        p.assertConverged(takeover);
      }
      System.err.printf(
          "[CrashPointsIT] %s: killed %s at %s; %s took the Lease after %d ms; every transition"
              + " finished %d ms after that%n",
          prefix,
          killed.identity,
          killedAt,
          next.identity,
          Duration.between(killedAt, takeover).toMillis(),
          Duration.between(takeover, done).toMillis());
      deleteAll(points);
    } finally {
      for (OperatorProcess p : processes) {
        if (p != null) {
          p.close();
        }
      }
      for (CrashPoint p : points) {
        p.close();
      }
    }
  }

  private void deleteAll(List<CrashPoint> points) {
    for (CrashPoint p : points) {
      admin.resources(CacheMode.class).inNamespace(appNs).withName(p.name).delete();
    }
    await("the round's CacheModes are gone")
        .atMost(Duration.ofMinutes(1))
        .until(() -> points.stream().allMatch(p -> world.cm(p.name) == null));
  }

  private String unreached(List<CrashPoint> points) {
    return points.stream()
        .filter(p -> !p.reached())
        .map(p -> p + ": phase " + world.phase(p.name))
        .collect(Collectors.joining("; "));
  }

  /** The points not finished, each with its Ready condition and last history entry. */
  private String unfinished(List<CrashPoint> points) {
    return points.stream()
        .filter(p -> !p.converged())
        .map(
            p -> {
              var ready = world.condition(p.name, Conditions.READY);
              var history = world.cm(p.name).getStatus().getHistory();
              var last = history.isEmpty() ? null : history.get(history.size() - 1);
              return p
                  + ": phase "
                  + world.phase(p.name)
                  + ", Ready "
                  + ready.map(c -> c.getReason() + " (" + c.getMessage() + ")").orElse("none")
                  + (last == null
                      ? ""
                      : ", last history " + last.getReason() + ": " + last.getMessage());
            })
        .collect(Collectors.joining("; "));
  }
}
