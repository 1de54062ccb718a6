package io.cachemode.operator.reconcile;

import static io.cachemode.operator.api.Conditions.READY;
import static io.cachemode.operator.api.Conditions.REQUESTS_REDUCED;
import static io.cachemode.operator.api.Conditions.SECRET_SYNCED;
import static io.cachemode.operator.api.Conditions.SECRET_VALUE_VALID;
import static io.cachemode.operator.api.Conditions.SPEC_VALID;
import static io.cachemode.operator.api.Conditions.VERIFIED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.CheckResult;
import io.cachemode.operator.api.HistoryEntry;
import io.cachemode.operator.api.Phase;
import io.cachemode.operator.api.Reasons;
import io.cachemode.operator.api.RequestVerdict;
import io.cachemode.operator.api.ValueState;
import io.cachemode.operator.targets.FlagUse;
import io.cachemode.operator.targets.Target.ReferenceProblem;
import io.cachemode.operator.targets.TargetException;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The transition core, driven through the real observer, machine and executor. */
class PhaseMachineTest {
  private static final String HEALTH = "healthChecks: [{name: api, url: \"http://app/health\"}]";
  private static final String METER =
      """
      requestMetrics:
        redis: {addressSecretRef: {name: redis-conn, key: url}}
        window: 1m
        interval: 15m
        watchFor: 1h
        pricePer100kRequests: "0.20"
      """;

  @Nested
  class Applying {
    @Test
    void digestIsRepairedAndTheWorkloadRestartedExactlyOnce() {
      Sim sim = new Sim(true, HEALTH, new FakeTarget("fa61a13817d73a23"));
      sim.step();
      assertThat(sim.target.writes).containsExactly("true");
      assertThat(sim.target.restarts).hasSize(1);
      assertThat(sim.phase()).isEqualTo(Phase.RollingOut);
      assertThat(sim.cm.getStatus().getSecret().getBefore().getState())
          .isEqualTo(ValueState.DigestLike);
      assertThat(sim.requeue())
          .hasValueSatisfying(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofMinutes(1)));

      sim.step();
      assertThat(sim.target.restarts).as("a replayed event restarts nothing").hasSize(1);

      sim.target.rollOut();
      sim.step();
      assertThat(sim.phase()).isEqualTo(Phase.Suspended);
      assertThat(sim.cm.getStatus().getAppliedValueHash()).isEqualTo(sim.target.workload().hash);
      assertThat(sim.condition(READY)).isEqualTo("True/Suspended");
      assertThat(sim.condition(VERIFIED)).isEqualTo("True/Verified");
      assertThat(sim.condition(SECRET_VALUE_VALID)).isEqualTo("True/Repaired");

      int history = sim.cm.getStatus().getHistory().size();
      sim.step();
      sim.step();
      assertThat(sim.target.writes).hasSize(1);
      assertThat(sim.target.restarts).hasSize(1);
      assertThat(sim.verifier.healthRuns).as("health is checked once per change").isEqualTo(1);
      assertThat(sim.cm.getStatus().getHistory()).hasSize(history);
      assertThat(sim.events).contains("SecretRepaired", "Restarted", "HealthChecksPassed");
    }

    @Test
    void aCrashBetweenTheWriteAndItsStatusKeepsTheValueFoundBeforeAndTheHistory() {
      Sim sim = new Sim(true, "", new FakeTarget("fa61a13817d73a23"));
      sim.crashAfterFirstAction();
      assertThat(sim.target.writes).containsExactly("true");

      sim.step();
      sim.target.rollOut();
      sim.step();
      assertThat(sim.phase()).isEqualTo(Phase.Suspended);
      assertThat(sim.target.writes).as("written once").containsExactly("true");
      assertThat(sim.target.restarts).as("restarted once").hasSize(1);
      assertThat(sim.cm.getStatus().getSecret().getBefore().getState())
          .as("the value before the write survives the crash")
          .isEqualTo(ValueState.DigestLike);
      assertThat(sim.condition(SECRET_VALUE_VALID)).isEqualTo("True/Repaired");
      assertThat(sim.cm.getStatus().getHistory())
          .extracting(HistoryEntry::getTo)
          .containsExactly(Phase.RollingOut, Phase.Verifying, Phase.Suspended);
    }

    @Test
    void aCrashAfterTheBaselineWriteNeverMeasuresTheBaselineAgainAfterTheWrite() {
      Sim sim = new Sim(true, METER, new FakeTarget("false"));
      sim.crashAfterFirstAction();
      assertThat(sim.verifier.baselines).isEqualTo(1);

      sim.step();
      assertThat(sim.verifier.baselines)
          .as("the baseline was recorded before anything was written")
          .isEqualTo(1);
      assertThat(sim.cm.getStatus().getRequests().getBefore()).isNotNull();
      assertThat(sim.target.writes).containsExactly("true");
      assertThat(sim.target.restarts).hasSize(1);
    }

    @Test
    void severalWorkloadsAreEachRestartedOnceAndAllMustRollOut() {
      Sim sim = new Sim(true, HEALTH, new FakeTarget("false", "web", "worker"));
      sim.step();
      assertThat(sim.target.restarts).hasSize(2);
      sim.target.workloads.get("web").rolledOut = true;
      sim.step();
      assertThat(sim.phase()).as("one of two rolled out").isEqualTo(Phase.RollingOut);
      sim.target.rollOut();
      sim.step();
      assertThat(sim.phase()).isEqualTo(Phase.Suspended);
      assertThat(sim.target.restarts).hasSize(2);
      assertThat(sim.cm.getStatus().getWorkloads()).hasSize(2);
    }

    @Test
    void aWorkloadThatDoesNotReadTheFlagIsReportedButNotBlocked() {
      FakeTarget target = new FakeTarget("false");
      target.workload().flagUse = FlagUse.NOT_REFERENCED;
      Sim sim = new Sim(true, "", target);
      sim.step();
      assertThat(sim.condition(SPEC_VALID))
          .isEqualTo("True/" + Reasons.WORKLOAD_DOES_NOT_READ_FLAG);
      assertThat(sim.target.restarts).hasSize(1);
      assertThat(sim.cm.getStatus().getWorkloads().get(0).getFlagUse())
          .isEqualTo(FlagUse.NOT_REFERENCED);
      sim.step();
      assertThat(sim.events)
          .as("warned once")
          .containsOnlyOnce("Warning:" + Reasons.WORKLOAD_DOES_NOT_READ_FLAG);
    }

    @Test
    void aValueTheStoreHidesIsWrittenOnceThenKnownFromTheOperatorsOwnWrite() {
      FakeTarget target = new FakeTarget("whatever");
      target.hidesValues = true;
      Sim sim = new Sim(true, "", target);
      sim.step();
      assertThat(sim.cm.getStatus().getSecret().getBefore().getState())
          .isEqualTo(ValueState.Unknown);
      assertThat(sim.cm.getStatus().getSecret().getBefore().getDigest())
          .isEqualTo("3fa9e1c2b7d40a55");
      target.rollOut();
      sim.step();
      sim.step();
      assertThat(target.writes).containsExactly("true");
      assertThat(sim.phase()).isEqualTo(Phase.Suspended);
      assertThat(sim.condition(SECRET_VALUE_VALID)).isEqualTo("True/Canonical");
    }

    @Test
    void aTransientWriteErrorIsRetriedWithoutChangingTheDecision() {
      FakeTarget target = new FakeTarget("false");
      target.failNextWrites = 1;
      Sim sim = new Sim(true, "", target);
      assertThatThrownBy(sim::step).isInstanceOf(TargetException.class);
      sim.error("API server unavailable");
      assertThat(sim.condition(READY)).isEqualTo("Unknown/" + Reasons.RECONCILE_ERROR);
      assertThat(target.writes).isEmpty();
      assertThat(sim.phase())
          .as("the transition was recorded before the write was tried")
          .isEqualTo(Phase.RollingOut);
      sim.step();
      assertThat(target.writes).containsExactly("true");
      assertThat(sim.phase()).isEqualTo(Phase.RollingOut);
    }

    @Test
    void anotherCacheModeOnTheSameKeyIsAConflict() {
      Sim sim = new Sim(true, "", new FakeTarget("false"));
      CacheMode older = Sim.cacheMode(true, "");
      older.getMetadata().setName("older");
      older.getMetadata().setUid("u-0");
      older.getMetadata().setCreationTimestamp("2026-11-28T00:00:00Z");
      sim.step(() -> Stream.of(sim.cm, older));
      assertThat(sim.phase()).isEqualTo(Phase.Pending);
      assertThat(sim.condition(SPEC_VALID)).isEqualTo("False/" + Reasons.CONFLICT);
      assertThat(sim.target.writes).isEmpty();
      assertThat(sim.requeue()).contains(PhaseMachine.RECHECK);
    }

    @Test
    void brokenReferencesArePendingAndRecheckedWithoutHotLooping() {
      FakeTarget target = new FakeTarget("false");
      target.problems =
          List.of(
              new ReferenceProblem(
                  "SecretNotFound",
                  "spec.target.kubernetes.secretRef: Secret ns/app-env not found"));
      Sim sim = new Sim(true, "", target);
      sim.step();
      assertThat(sim.phase()).isEqualTo(Phase.Pending);
      assertThat(sim.condition(SPEC_VALID)).isEqualTo("False/SecretNotFound");
      assertThat(sim.requeue()).contains(PhaseMachine.RECHECK);
      sim.step();
      assertThat(sim.events).as("warned once").containsOnlyOnce("Warning:SecretNotFound");
      target.problems = List.of();
      sim.step();
      assertThat(sim.phase()).isEqualTo(Phase.RollingOut);
    }

    @Test
    void aFreshEditWaitsForTheBurstToSettleAndZeroSettlesAtOnce() {
      Sim sim = new Sim(true, "", new FakeTarget("false"));
      sim.cm
          .getMetadata()
          .setManagedFields(
              List.of(
                  new ManagedFieldsEntryBuilder()
                      .withManager("kubectl")
                      .withTime(sim.now.toString())
                      .build()));
      sim.step();
      assertThat(sim.requeue())
          .hasValueSatisfying(
              d -> assertThat(d).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(2)));
      assertThat(sim.target.writes).isEmpty();
      assertThat(sim.cm.getStatus()).isNull();

      Sim now = new Sim(true, "", new FakeTarget("false"));
      now.cm.getSpec().getRollout().setSettle("0s");
      now.cm
          .getMetadata()
          .setManagedFields(
              List.of(
                  new ManagedFieldsEntryBuilder()
                      .withManager("kubectl")
                      .withTime(now.now.toString())
                      .build()));
      now.step();
      assertThat(now.target.writes).containsExactly("true");
    }

    @Test
    void dryRunPlansAndWritesNothing() {
      Sim sim = new Sim(true, "dryRun: true", new FakeTarget("fa61a13817d73a23"));
      sim.step();
      assertThat(sim.phase()).isEqualTo(Phase.Planned);
      assertThat(sim.cm.getStatus().getPlannedChanges()).hasSize(2);
      assertThat(sim.target.writes).isEmpty();
      assertThat(sim.target.restarts).isEmpty();
    }
  }

  @Nested
  class Meaning {
    @Test
    void nothingConfiguredIsReadyButSaysPlainlyThatNothingWasVerified() {
      Sim sim = new Sim(true, "", new FakeTarget("false"));
      sim.step();
      sim.target.rollOut();
      sim.step();
      assertThat(sim.phase()).isEqualTo(Phase.Suspended);
      assertThat(sim.condition(READY)).isEqualTo("True/" + Reasons.APPLIED_UNVERIFIED);
      assertThat(sim.condition(VERIFIED)).isEqualTo("Unknown/" + Reasons.NOT_CONFIGURED);
      assertThat(sim.conditionOf(READY).orElseThrow().getMessage())
          .contains("nothing was verified")
          .doesNotContain("passed verification");
    }

    @Test
    void getsThatDoNotFallAreTheIncidentIneffectiveNotReadyAndNotRolledBack() {
      Sim sim = new Sim(true, HEALTH + "\n" + METER, new FakeTarget("fa61a13817d73a23"));
      sim.verifier.after = 1888.0; // the rate rose 25.9%
      sim.step();
      assertThat(sim.phase()).isEqualTo(Phase.RollingOut);
      sim.target.rollOut();
      sim.step();
      assertThat(sim.phase()).isEqualTo(Phase.Verifying);
      sim.advance(Duration.ofMinutes(1));
      sim.step();
      assertThat(sim.phase()).isEqualTo(Phase.Ineffective);
      assertThat(sim.condition(READY)).isEqualTo("False/" + Reasons.INEFFECTIVE);
      assertThat(sim.condition(VERIFIED)).isEqualTo("False/" + Reasons.REQUESTS_NOT_REDUCED);
      assertThat(sim.condition(REQUESTS_REDUCED)).isEqualTo("False/NotReduced");
      assertThat(sim.cm.getStatus().getRequests().getDeltaPercent())
          .isCloseTo(25.9, org.assertj.core.data.Offset.offset(0.1));
      assertThat(sim.events).contains("Warning:Ineffective", "Warning:RequestsNotReduced");
      assertThat(sim.target.writes).as("not rolled back").containsExactly("true");
      assertThat(sim.registry.find("cachemode.ineffective").gauge().value()).isEqualTo(1.0);
      assertThat(sim.cm.getStatus().getAppliedSuspend())
          .as("never Ready, so never 'applied'")
          .isNull();
    }

    @Test
    void getsThatFallVerifyTheChangeWithRatesPerDayAndCost() {
      Sim sim = new Sim(true, HEALTH + "\n" + METER, new FakeTarget("false"));
      sim.verifier.before = 1527.8;
      sim.step();
      sim.target.rollOut();
      sim.step();
      sim.advance(Duration.ofMinutes(1));
      sim.step();
      assertThat(sim.phase()).isEqualTo(Phase.Suspended);
      assertThat(sim.condition(VERIFIED)).isEqualTo("True/" + Reasons.VERIFIED);
      assertThat(sim.condition(READY)).isEqualTo("True/Suspended");
      var r = sim.cm.getStatus().getRequests();
      assertThat(r.getVerdict()).isEqualTo(RequestVerdict.Reduced);
      assertThat(r.getBefore().getPerDay()).isEqualTo(2_200_032L);
      assertThat(r.getAfter().getPerDay()).isZero();
      assertThat(r.getCost().getBeforePerMonth()).isEqualTo("132.00");
      assertThat(r.getCost().getAfterPerMonth()).isEqualTo("0.00");
      assertThat(r.getWatchUntil()).isNotNull();
    }

    @Test
    void getsComingBackWhileWatchingUnverifyTheChangeAndFallingAgainVerifiesIt() {
      Sim sim = new Sim(true, METER, new FakeTarget("false"));
      sim.step();
      sim.target.rollOut();
      sim.step();
      sim.advance(Duration.ofMinutes(1));
      sim.step();
      assertThat(sim.phase()).isEqualTo(Phase.Suspended);
      assertThat(sim.requeue())
          .as("the first watch sample is due")
          .hasValue(Duration.ofMinutes(15));
      int closed = sim.verifier.windowsClosed;
      sim.step();
      sim.step();
      assertThat(sim.verifier.windowsClosed)
          .as("no meter request between samples")
          .isEqualTo(closed);

      sim.verifier.after = 900.0;
      sim.advance(Duration.ofMinutes(15));
      sim.step();
      assertThat(sim.phase()).isEqualTo(Phase.Ineffective);
      assertThat(sim.condition(VERIFIED)).isEqualTo("False/" + Reasons.REQUESTS_RETURNED);
      assertThat(sim.events).contains("Warning:" + Reasons.REQUESTS_RETURNED);
      assertThat(sim.cm.getStatus().getRequests().getSamples())
          .extracting(s -> s.getPerMinute())
          .containsExactly(900.0);

      sim.verifier.after = 0.0;
      sim.advance(Duration.ofMinutes(15));
      sim.step();
      assertThat(sim.phase()).isEqualTo(Phase.Suspended);
      assertThat(sim.condition(VERIFIED)).isEqualTo("True/" + Reasons.VERIFIED);

      sim.advance(Duration.ofHours(2));
      sim.step();
      int after = sim.verifier.windowsClosed;
      sim.advance(Duration.ofMinutes(30));
      sim.step();
      assertThat(sim.verifier.windowsClosed).as("watching ends after watchFor").isEqualTo(after);
    }

    @Test
    void anUnreachableMeterIsInconclusiveRetriedWithBackoffThenPastTheDeadline() {
      Sim sim = new Sim(true, METER + "verification: {deadline: 5m}", new FakeTarget("false"));
      sim.verifier.before = null;
      sim.verifier.after = null;
      sim.step();
      sim.target.rollOut();
      sim.step();
      assertThat(sim.phase()).isEqualTo(Phase.Verifying);
      assertThat(sim.condition(VERIFIED)).isEqualTo("Unknown/" + Reasons.INCONCLUSIVE);
      assertThat(sim.condition(READY)).startsWith("False/");
      assertThat(sim.requeue()).hasValue(Duration.ofSeconds(30));
      sim.advance(Duration.ofSeconds(30));
      sim.step();
      assertThat(sim.requeue()).as("backoff doubles").hasValue(Duration.ofSeconds(60));
      sim.advance(Duration.ofMinutes(6));
      sim.step();
      assertThat(sim.condition(VERIFIED))
          .isEqualTo("Unknown/" + Reasons.INCONCLUSIVE_AFTER_DEADLINE);
      assertThat(sim.events).containsOnlyOnce("Warning:" + Reasons.INCONCLUSIVE_AFTER_DEADLINE);
      assertThat(sim.phase()).isEqualTo(Phase.Verifying);

      sim.verifier.after = 0.0;
      sim.advance(Duration.ofMinutes(5));
      sim.step();
      sim.advance(Duration.ofMinutes(1));
      sim.step();
      assertThat(sim.phase())
          .as("zero GETs after suspending is proof even without a baseline")
          .isEqualTo(Phase.Suspended);
    }

    @Test
    void resumingExpectsGetsToComeBack() {
      Sim sim = new Sim(false, METER, new FakeTarget("true"));
      sim.verifier.before = 0.0;
      sim.verifier.after = 640.0;
      sim.step();
      sim.target.rollOut();
      sim.step();
      sim.advance(Duration.ofMinutes(1));
      sim.step();
      assertThat(sim.phase()).isEqualTo(Phase.Active);
      assertThat(sim.cm.getStatus().getRequests().getVerdict()).isEqualTo(RequestVerdict.Resumed);

      Sim silent = new Sim(false, METER, new FakeTarget("true"));
      silent.verifier.after = 0.0;
      silent.step();
      silent.target.rollOut();
      silent.step();
      silent.advance(Duration.ofMinutes(1));
      silent.step();
      assertThat(silent.phase()).isEqualTo(Phase.Ineffective);
      assertThat(silent.condition(VERIFIED)).isEqualTo("False/" + Reasons.REQUESTS_NOT_RESUMED);

      Sim off = new Sim(false, METER + "  expectResumed: false", new FakeTarget("true"));
      off.verifier.after = 0.0;
      off.step();
      off.target.rollOut();
      off.step();
      assertThat(off.phase()).isEqualTo(Phase.Active);
      assertThat(off.condition(VERIFIED)).isEqualTo("Unknown/" + Reasons.NOT_CONFIGURED);
    }

    @Test
    void aBaselineThatTakesTimeHoldsTheWriteInBaselining() {
      Sim sim = new Sim(true, METER, new FakeTarget("false"));
      sim.holdJobs = true;
      sim.step();
      assertThat(sim.phase()).isEqualTo(Phase.Baselining);
      assertThat(sim.target.writes).as("nothing is written before the baseline").isEmpty();
      sim.runHeldJobs();
      sim.holdJobs = false;
      sim.step();
      assertThat(sim.target.writes).containsExactly("true");
      assertThat(sim.cm.getStatus().getRequests().getBefore().getPerMinute()).isEqualTo(1500.0);
    }
  }

  @Nested
  class LogChecks {
    private static final String LOGS = "logChecks: [{name: suspended, contains: REDIS SUSPENDED}]";

    @Test
    void aLogLineInEveryRestartedPodVerifiesTheChange() {
      Sim sim = new Sim(true, LOGS, new FakeTarget("false"));
      sim.step();
      sim.target.rollOut();
      sim.step();
      assertThat(sim.phase()).isEqualTo(Phase.Suspended);
      assertThat(sim.condition(VERIFIED)).isEqualTo("True/" + Reasons.VERIFIED);
      assertThat(sim.condition(io.cachemode.operator.api.Conditions.LOGS_CONFIRMED))
          .isEqualTo("True/LogChecksPassed");
      assertThat(sim.cm.getStatus().getLogChecks())
          .singleElement()
          .satisfies(l -> assertThat(l.getPodsMatched()).isEqualTo(1));
    }

    @Test
    void aPodThatDidNotLogItFailsTheChangeAndRollsBack() {
      Sim sim = new Sim(true, LOGS, new FakeTarget("false"));
      sim.verifier.logs = CheckResult.Failed;
      sim.step();
      sim.target.rollOut();
      sim.step();
      assertThat(sim.phase()).isEqualTo(Phase.RollingBack);
      assertThat(sim.condition(VERIFIED)).isEqualTo("False/" + Reasons.LOG_CHECK_FAILED);
      assertThat(sim.events).contains("Warning:" + Reasons.LOG_CHECK_FAILED);
    }

    @Test
    void aCheckStillWithinItsWindowIsReadAgainWhenTheWindowCloses() {
      Sim sim = new Sim(true, LOGS, new FakeTarget("false"));
      sim.verifier.logRetryAt = sim.now.plusSeconds(60);
      sim.step();
      sim.target.rollOut();
      sim.step();
      assertThat(sim.phase()).isEqualTo(Phase.Verifying);
      assertThat(sim.requeue())
          .hasValueSatisfying(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(60)));
      int runs = sim.verifier.logRuns;
      sim.step();
      assertThat(sim.verifier.logRuns).as("not re-read before the window closes").isEqualTo(runs);
      sim.advance(Duration.ofSeconds(60));
      sim.step();
      assertThat(sim.verifier.logRuns).isEqualTo(runs + 1);
      assertThat(sim.phase()).isEqualTo(Phase.Suspended);
    }
  }

  @Nested
  class Drift {
    @Test
    void anotherWriterIsRepairedOnceThenContestedWithItsNameAndTheWritesStayBounded() {
      Sim sim = new Sim(true, "", new FakeTarget("false"));
      sim.step();
      sim.target.rollOut();
      sim.step();
      assertThat(sim.phase()).isEqualTo(Phase.Suspended);

      sim.target.externalWrite("false", "argocd-controller", sim.now);
      sim.step();
      assertThat(sim.target.writes).as("first revert: repaired").containsExactly("true", "true");
      assertThat(sim.events).contains("DriftRepaired");
      assertThat(sim.condition(READY)).isEqualTo("True/" + Reasons.APPLIED_UNVERIFIED);

      for (int i = 0; i < 3; i++) {
        sim.advance(Duration.ofMinutes(1));
        sim.target.externalWrite("false", "argocd-controller", sim.now);
        sim.step();
      }
      assertThat(sim.target.writes).as("no write loop").hasSize(2);
      assertThat(sim.condition(SECRET_SYNCED)).isEqualTo("False/" + Reasons.CONTESTED);
      assertThat(sim.conditionOf(SECRET_SYNCED).orElseThrow().getMessage())
          .contains("argocd-controller");
      assertThat(sim.condition(READY)).isEqualTo("False/" + Reasons.CONTESTED);
      assertThat(sim.cm.getStatus().getSecret().getContest().getFieldManager())
          .isEqualTo("argocd-controller");
      assertThat(sim.target.restarts).as("no restart loop either").hasSize(1);

      sim.advance(PhaseMachine.CONTEST_WINDOW);
      sim.step();
      assertThat(sim.target.writes).as("the other writer stopped: one more repair").hasSize(3);
      assertThat(sim.cm.getStatus().getSecret().getContest()).isNull();
      assertThat(sim.condition(READY)).isEqualTo("True/" + Reasons.APPLIED_UNVERIFIED);
    }

    @Test
    void aSpecEditEndsTheContestAtOnce() {
      Sim sim = new Sim(true, "", new FakeTarget("false"));
      sim.step();
      sim.target.rollOut();
      sim.step();
      sim.target.externalWrite("false", "kubectl-edit", sim.now);
      sim.step();
      sim.target.externalWrite("false", "kubectl-edit", sim.now);
      sim.step();
      assertThat(sim.condition(SECRET_SYNCED)).isEqualTo("False/" + Reasons.CONTESTED);
      sim.edit(spec -> spec.setSuspend(false));
      sim.step();
      assertThat(sim.cm.getStatus().getSecret().getContest()).isNull();
      assertThat(sim.phase()).isIn(Phase.RollingOut, Phase.Active);
    }
  }

  @Nested
  class RollingBack {
    @Test
    void failedHealthRollsBackToWhatTheAppReadBeforeAndStops() {
      Sim sim = new Sim(true, HEALTH, new FakeTarget("fa61a13817d73a23"));
      sim.verifier.health = CheckResult.Failed;
      sim.step();
      sim.target.rollOut();
      sim.step();
      assertThat(sim.phase()).isEqualTo(Phase.RollingBack);
      assertThat(sim.condition(VERIFIED)).isEqualTo("False/" + Reasons.HEALTH_CHECK_FAILED);

      sim.verifier.health = CheckResult.Passed;
      sim.step();
      assertThat(sim.target.writes).as("the digest read as false").containsExactly("true", "false");
      assertThat(sim.target.restarts).hasSize(2);
      sim.target.rollOut();
      sim.step();
      assertThat(sim.phase()).isEqualTo(Phase.RolledBack);
      assertThat(sim.condition(READY)).isEqualTo("False/RolledBack");
      assertThat(sim.cm.getStatus().getHistory())
          .extracting(HistoryEntry::getTo, HistoryEntry::getReason)
          .contains(Tuple.tuple(Phase.RollingBack, Reasons.HEALTH_CHECK_FAILED));
      sim.step();
      sim.step();
      assertThat(sim.target.writes).as("a rolled-back generation is not retried").hasSize(2);
    }

    @Test
    void withoutRollbackAFailedCheckEndsFailed() {
      Sim sim = new Sim(true, HEALTH + "\nrollbackOnFailure: false", new FakeTarget("false"));
      sim.verifier.health = CheckResult.Failed;
      sim.step();
      sim.target.rollOut();
      sim.step();
      assertThat(sim.phase()).isEqualTo(Phase.Failed);
      assertThat(sim.condition(READY)).isEqualTo("False/" + Reasons.HEALTH_CHECK_FAILED);
      assertThat(sim.target.writes).containsExactly("true");
    }

    @Test
    void aRollbackWhoseHealthFailsTooEndsFailedInsteadOfLooping() {
      Sim sim = new Sim(true, HEALTH, new FakeTarget("false"));
      sim.verifier.health = CheckResult.Failed;
      sim.step();
      sim.target.rollOut();
      sim.step();
      sim.step();
      sim.target.rollOut();
      sim.step();
      assertThat(sim.phase()).isEqualTo(Phase.Failed);
      assertThat(sim.condition(READY)).isEqualTo("False/" + Reasons.ROLLBACK_FAILED);
      sim.step();
      assertThat(sim.target.restarts).hasSize(2);
    }

    @Test
    void aRolloutPastItsDeadlineRollsBackAndAStuckRollbackFails() {
      Sim sim = new Sim(true, "", new FakeTarget("false"));
      sim.step();
      sim.advance(Duration.ofMinutes(2));
      sim.step();
      assertThat(sim.phase()).isEqualTo(Phase.RollingBack);
      assertThat(sim.cm.getStatus().getHistory())
          .extracting(HistoryEntry::getReason)
          .contains(Reasons.ROLLOUT_TIMED_OUT);
      sim.step();
      sim.advance(Duration.ofMinutes(2));
      sim.step();
      assertThat(sim.phase()).isEqualTo(Phase.Failed);
      assertThat(sim.condition(READY)).isEqualTo("False/" + Reasons.ROLLBACK_FAILED);
      assertThat(sim.target.restarts).hasSize(2);
    }

    /** Verifying, inconclusive (so it stays there), past the 1m rollout timeout: a pod is lost. */
    private Sim regressedLateInVerification() {
      Sim sim = new Sim(true, HEALTH, new FakeTarget("false"));
      sim.verifier.health = CheckResult.Inconclusive;
      sim.step();
      sim.target.rollOut();
      sim.step();
      assertThat(sim.phase()).isEqualTo(Phase.Verifying);
      sim.advance(Duration.ofMinutes(5));
      sim.target.workload().rolledOut = false;
      sim.step();
      return sim;
    }

    @Test
    void aPodLostLateInVerificationIsWaitedForFromTheLossNotRolledBackAtOnce() {
      Sim sim = regressedLateInVerification();
      assertThat(sim.phase()).isEqualTo(Phase.RollingOut);
      assertThat(sim.cm.getStatus().getHistory())
          .extracting(HistoryEntry::getTo, HistoryEntry::getReason)
          .last()
          .isEqualTo(Tuple.tuple(Phase.RollingOut, Reasons.ROLLOUT_REGRESSED));
      assertThat(sim.cm.getStatus().getTransition().getRolloutRegressedAt()).isNotNull();
      sim.advance(Duration.ofSeconds(40));
      sim.step();
      assertThat(sim.phase()).as("within the timeout from the loss").isEqualTo(Phase.RollingOut);

      sim.target.rollOut();
      sim.verifier.health = CheckResult.Passed;
      sim.until(Phase.Suspended, 10);

      assertThat(sim.phase()).isEqualTo(Phase.Suspended);
      assertThat(sim.target.restarts).as("a lost pod is no reason to restart").hasSize(1);
      assertThat(sim.target.writes).containsExactly("true");
      assertThat(sim.cm.getStatus().getTransition().getRolloutRegressedAt()).isNull();
    }

    @Test
    void aRegressionThatDoesNotRecoverWithinTheTimeoutRollsBack() {
      Sim sim = regressedLateInVerification();
      sim.advance(Duration.ofMinutes(2));
      sim.step();
      assertThat(sim.phase()).isEqualTo(Phase.RollingBack);
      assertThat(sim.cm.getStatus().getHistory())
          .extracting(HistoryEntry::getReason)
          .containsSubsequence(Reasons.ROLLOUT_REGRESSED, Reasons.ROLLOUT_TIMED_OUT);
    }

    @Test
    void aFailedWorkloadRollsBack() {
      Sim sim = new Sim(true, "", new FakeTarget("false", "web", "worker"));
      sim.step();
      sim.target.workloads.get("worker").failed = true;
      sim.step();
      assertThat(sim.phase()).isEqualTo(Phase.RollingBack);
      assertThat(sim.cm.getStatus().getHistory())
          .extracting(HistoryEntry::getReason)
          .contains(Reasons.ROLLOUT_FAILED);
    }

    @Test
    void anUnknownPreviousValueCannotBeRestoredSoTheChangeFails() {
      FakeTarget target = new FakeTarget("something");
      target.hidesValues = true;
      Sim sim = new Sim(true, HEALTH, target);
      sim.verifier.health = CheckResult.Failed;
      sim.step();
      target.rollOut();
      sim.step();
      assertThat(sim.phase()).isEqualTo(Phase.Failed);
      assertThat(sim.conditionOf(READY).orElseThrow().getMessage())
          .contains("value before the change is unknown");
    }

    @Test
    void anEditAfterRolledBackIsAppliedEvenAfterATransientError() {
      Sim sim = new Sim(true, HEALTH, new FakeTarget("false"));
      sim.verifier.health = CheckResult.Failed;
      sim.step();
      sim.target.rollOut();
      sim.step();
      sim.step();
      sim.target.rollOut();
      sim.verifier.health = CheckResult.Passed;
      sim.step();
      assertThat(sim.phase()).isEqualTo(Phase.RolledBack);

      sim.edit(spec -> spec.getHealthChecks().get(0).setUrl("http://app/ready"));
      sim.error("etcdserver: request timed out");
      assertThat(sim.cm.getStatus().getTransition().getGeneration()).isEqualTo(1L);
      sim.step();
      assertThat(sim.target.writes)
          .as("the edit is applied")
          .containsExactly("true", "false", "true");
      assertThat(sim.phase()).isEqualTo(Phase.RollingOut);
      assertThat(sim.cm.getStatus().getTransition().getGeneration()).isEqualTo(2L);
    }

    @Test
    void historyKeepsOnlyTheNewestEntries() {
      Sim sim = new Sim(true, HEALTH + "\nhistoryLimit: 2", new FakeTarget("false"));
      sim.verifier.health = CheckResult.Failed;
      sim.step();
      sim.target.rollOut();
      sim.step();
      sim.verifier.health = CheckResult.Passed;
      sim.step();
      sim.target.rollOut();
      sim.step();
      assertThat(sim.cm.getStatus().getHistory())
          .hasSize(2)
          .last()
          .extracting(HistoryEntry::getTo)
          .isEqualTo(Phase.RolledBack);
    }
  }
}
