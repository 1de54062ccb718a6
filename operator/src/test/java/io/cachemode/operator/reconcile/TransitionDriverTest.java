package io.cachemode.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.CheckResult;
import io.cachemode.operator.api.HealthCheckStatus;
import io.cachemode.operator.api.HistoryEntry;
import io.cachemode.operator.api.Phase;
import io.cachemode.operator.api.RequestsStatus;
import io.cachemode.operator.api.ValueState;
import io.cachemode.operator.audit.Events;
import io.cachemode.operator.audit.OperatorMetrics;
import io.cachemode.operator.targets.Target.ReferenceProblem;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The phase machine as pure logic: a fake target, fake verification, a clock the test moves. */
class TransitionDriverTest {
  private Instant now = Instant.parse("2026-11-29T03:00:00Z");
  private final List<String> events = new ArrayList<>();
  private CheckResult health = CheckResult.Passed;
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };

  private final Verification verification =
      new Verification() {
        @Override
        public List<HealthCheckStatus> health(CacheMode cm) {
          HealthCheckStatus s = new HealthCheckStatus();
          s.setName("api");
          s.setResult(health);
          s.setMessage(health == CheckResult.Passed ? null : "expected status 200, got 503");
          return List.of(s);
        }

        @Override
        public Optional<RequestsStatus> baseline(CacheMode cm) {
          return Optional.empty();
        }

        @Override
        public WindowProgress afterRollout(CacheMode cm, String flagHash, RequestsStatus before) {
          throw new AssertionError("no request metrics in these tests");
        }
      };

  private final TransitionDriver driver =
      new TransitionDriver(
          clock,
          verification,
          new Notifier(
              new Events() {
                @Override
                public void normal(CacheMode cm, String reason, String message) {
                  events.add(reason);
                }

                @Override
                public void warning(CacheMode cm, String reason, String message) {
                  events.add(reason);
                }
              },
              new OperatorMetrics(new SimpleMeterRegistry())));

  private static CacheMode cacheMode(boolean suspend, String extraSpec) {
    CacheMode cm =
        Serialization.unmarshal(
            """
            apiVersion: cachemode.io/v1alpha1
            kind: CacheMode
            metadata: {name: app-redis, namespace: ns, uid: u-1, generation: 1}
            spec:
              suspend: %s
              target:
                kubernetes:
                  secretRef: {name: app-env, key: SUSPEND_REDIS}
                  workloads: [{kind: Deployment, name: app}]
              rollout: {timeout: 1m}
              healthChecks: [{name: api, url: "http://app/health"}]
            %s
            """
                .formatted(suspend, extraSpec.indent(2)),
            CacheMode.class);
    cm.getMetadata()
        .setManagedFields(
            List.of(
                new ManagedFieldsEntryBuilder()
                    .withManager("kubectl")
                    .withTime("2026-11-29T02:00:00Z")
                    .build()));
    return cm;
  }

  /** One reconcile: the driver's step, then the status it wrote becomes the resource's status. */
  private TransitionDriver.Outcome step(CacheMode cm, FakeTarget target) {
    StatusUpdate st = new StatusUpdate(cm, clock);
    TransitionDriver.Outcome outcome = driver.drive(cm, target, Optional.empty(), st);
    cm.setStatus(st.next());
    now = now.plusSeconds(1);
    return outcome;
  }

  private static String condition(CacheMode cm, String type) {
    return cm.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .map(c -> c.getStatus() + "/" + c.getReason())
        .findFirst()
        .orElse("absent");
  }

  @Test
  void digestIsRepairedAndTheWorkloadRestartedExactlyOnce() {
    CacheMode cm = cacheMode(true, "");
    FakeTarget target = new FakeTarget("fa61a13817d73a23");

    TransitionDriver.Outcome first = step(cm, target);
    assertThat(target.writes).containsExactly("true");
    assertThat(target.restarts).hasSize(1);
    assertThat(cm.getStatus().getPhase()).isEqualTo(Phase.RollingOut);
    assertThat(cm.getStatus().getSecret().getBefore().getState()).isEqualTo(ValueState.DigestLike);
    assertThat(first.requeueAfter())
        .hasValueSatisfying(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofMinutes(1)));

    step(cm, target);
    assertThat(target.restarts).as("a replayed event restarts nothing").hasSize(1);

    target.rolledOut = true;
    TransitionDriver.Outcome done = step(cm, target);
    assertThat(cm.getStatus().getPhase()).isEqualTo(Phase.Suspended);
    assertThat(cm.getStatus().getAppliedValueHash()).isEqualTo(target.workloadHash);
    assertThat(condition(cm, "Ready")).isEqualTo("True/Suspended");
    assertThat(condition(cm, "SecretValueValid")).isEqualTo("True/Repaired");
    assertThat(done.requeueAfter()).isEmpty();

    int historySize = cm.getStatus().getHistory().size();
    step(cm, target);
    assertThat(target.writes).hasSize(1);
    assertThat(target.restarts).hasSize(1);
    assertThat(cm.getStatus().getHistory()).hasSize(historySize);
    assertThat(events).contains("SecretRepaired", "Restarted");
  }

  @Test
  void failedHealthRollsBackToWhatTheAppReadBeforeAndStops() {
    CacheMode cm = cacheMode(true, "");
    FakeTarget target = new FakeTarget("fa61a13817d73a23");
    health = CheckResult.Failed;
    step(cm, target);
    target.rolledOut = true;
    step(cm, target);
    assertThat(cm.getStatus().getPhase()).isEqualTo(Phase.RollingBack);

    health = CheckResult.Passed;
    step(cm, target);
    assertThat(target.writes)
        .as("the digest read as false, so false is restored")
        .containsExactly("true", "false");
    assertThat(target.restarts).hasSize(2);
    target.rolledOut = true;
    step(cm, target);
    assertThat(cm.getStatus().getPhase()).isEqualTo(Phase.RolledBack);
    assertThat(condition(cm, "Ready")).isEqualTo("False/RolledBack");
    assertThat(cm.getStatus().getHistory())
        .extracting(HistoryEntry::getTo, HistoryEntry::getReason)
        .contains(org.assertj.core.groups.Tuple.tuple(Phase.RollingBack, "HealthCheckFailed"));

    step(cm, target);
    step(cm, target);
    assertThat(target.writes).as("a rolled-back generation is never retried").hasSize(2);
    assertThat(target.restarts).hasSize(2);
  }

  @Test
  void withoutRollbackAFailedCheckEndsFailed() {
    CacheMode cm = cacheMode(true, "rollbackOnFailure: false");
    FakeTarget target = new FakeTarget("false");
    health = CheckResult.Failed;
    step(cm, target);
    target.rolledOut = true;
    step(cm, target);
    assertThat(cm.getStatus().getPhase()).isEqualTo(Phase.Failed);
    assertThat(condition(cm, "Ready")).isEqualTo("False/HealthCheckFailed");
    assertThat(target.writes).containsExactly("true");
  }

  @Test
  void aRollbackWhoseHealthFailsTooEndsFailedInsteadOfLooping() {
    CacheMode cm = cacheMode(true, "");
    FakeTarget target = new FakeTarget("false");
    health = CheckResult.Failed;
    step(cm, target);
    target.rolledOut = true;
    step(cm, target);
    step(cm, target);
    target.rolledOut = true;
    step(cm, target);
    assertThat(cm.getStatus().getPhase()).isEqualTo(Phase.Failed);
    assertThat(condition(cm, "Ready")).isEqualTo("False/RollbackFailed");
    step(cm, target);
    assertThat(target.restarts).hasSize(2);
  }

  @Test
  void aRolloutPastItsDeadlineRollsBackAndAStuckRollbackFails() {
    CacheMode cm = cacheMode(true, "");
    FakeTarget target = new FakeTarget("false");
    step(cm, target);
    now = now.plus(Duration.ofMinutes(2));
    step(cm, target);
    assertThat(cm.getStatus().getPhase()).isEqualTo(Phase.RollingBack);
    step(cm, target);
    now = now.plus(Duration.ofMinutes(2));
    step(cm, target);
    assertThat(cm.getStatus().getPhase()).isEqualTo(Phase.Failed);
    assertThat(condition(cm, "Ready")).isEqualTo("False/RollbackFailed");
    assertThat(target.restarts).hasSize(2);
  }

  @Test
  void dryRunPlansAndWritesNothing() {
    CacheMode cm = cacheMode(true, "dryRun: true");
    FakeTarget target = new FakeTarget("fa61a13817d73a23");
    step(cm, target);
    assertThat(cm.getStatus().getPhase()).isEqualTo(Phase.Planned);
    assertThat(cm.getStatus().getPlannedChanges()).hasSize(2);
    assertThat(target.writes).isEmpty();
    assertThat(target.restarts).isEmpty();
  }

  @Test
  void brokenReferencesArePendingAndRecheckedWithoutHotLooping() {
    CacheMode cm = cacheMode(true, "");
    FakeTarget target = new FakeTarget("false");
    target.problems =
        List.of(
            new ReferenceProblem(
                "SecretNotFound", "spec.target.kubernetes.secretRef: Secret ns/app-env not found"));
    TransitionDriver.Outcome outcome = step(cm, target);
    assertThat(cm.getStatus().getPhase()).isEqualTo(Phase.Pending);
    assertThat(condition(cm, "SpecValid")).isEqualTo("False/SecretNotFound");
    assertThat(outcome.requeueAfter()).contains(TransitionDriver.RECHECK);
    step(cm, target);
    assertThat(events).as("warned once, not on every recheck").containsOnlyOnce("SecretNotFound");
  }

  @Test
  void aFreshEditWaitsForTheBurstToSettle() {
    CacheMode cm = cacheMode(true, "");
    cm.getMetadata()
        .setManagedFields(
            List.of(
                new ManagedFieldsEntryBuilder()
                    .withManager("kubectl")
                    .withTime(now.toString())
                    .build()));
    FakeTarget target = new FakeTarget("false");
    TransitionDriver.Outcome outcome = step(cm, target);
    assertThat(outcome.requeueAfter())
        .hasValueSatisfying(
            d -> assertThat(d).isPositive().isLessThanOrEqualTo(java.time.Duration.ofSeconds(2)));
    assertThat(target.writes).isEmpty();
    assertThat(cm.getStatus().getObservedGeneration()).isNull();
  }

  @Test
  void historyKeepsOnlyTheNewestEntries() {
    CacheMode cm = cacheMode(true, "historyLimit: 2");
    FakeTarget target = new FakeTarget("false");
    health = CheckResult.Failed;
    step(cm, target);
    target.rolledOut = true;
    step(cm, target);
    health = CheckResult.Passed;
    step(cm, target);
    target.rolledOut = true;
    step(cm, target);
    assertThat(cm.getStatus().getHistory())
        .hasSize(2)
        .last()
        .extracting(HistoryEntry::getTo)
        .isEqualTo(Phase.RolledBack);
  }
}
