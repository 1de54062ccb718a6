package io.cachemode.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachemode.operator.api.CheckResult;
import io.cachemode.operator.api.Phase;
import io.cachemode.operator.targets.Target.ReferenceProblem;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The phase machine as a table: every phase × the events every phase must survive. A replayed
 * event, an operator restart (every in-memory job result lost) and an error between two reconciles
 * change nothing; a spec edit starts a new transition from any phase that has one.
 */
class PhaseTableTest {
  private static final String HEALTH = "healthChecks: [{name: api, url: \"http://app/health\"}]";
  private static final String METER =
      """
      requestMetrics:
        redis: {addressSecretRef: {name: redis-conn, key: url}}
        window: 1m
      """;

  enum Event {
    REPLAY,
    OPERATOR_RESTART,
    ERROR_THEN_RECONCILE,
    SPEC_EDIT
  }

  /** How to bring a fresh CacheMode to each phase. */
  private static final java.util.Map<Phase, Supplier<Sim>> REACH =
      java.util.Map.ofEntries(
          java.util.Map.entry(
              Phase.Pending,
              () -> {
                FakeTarget t = new FakeTarget("false");
                t.problems =
                    List.of(new ReferenceProblem("SecretNotFound", "Secret ns/app-env not found"));
                Sim sim = new Sim(true, "", t);
                sim.step();
                return sim;
              }),
          java.util.Map.entry(
              Phase.Planned,
              () -> {
                Sim sim = new Sim(true, "dryRun: true", new FakeTarget("false"));
                sim.step();
                return sim;
              }),
          java.util.Map.entry(
              Phase.Baselining,
              () -> {
                Sim sim = new Sim(true, METER, new FakeTarget("false"));
                sim.holdJobs = true;
                sim.step();
                return sim;
              }),
          java.util.Map.entry(
              Phase.RollingOut,
              () -> {
                Sim sim = new Sim(true, "", new FakeTarget("false"));
                sim.step();
                return sim;
              }),
          java.util.Map.entry(
              Phase.Verifying,
              () -> {
                Sim sim = new Sim(true, METER, new FakeTarget("false"));
                sim.step();
                sim.target.rollOut();
                sim.step();
                return sim;
              }),
          java.util.Map.entry(Phase.Suspended, () -> settled(true)),
          java.util.Map.entry(Phase.Active, () -> settled(false)),
          java.util.Map.entry(
              Phase.Ineffective,
              () -> {
                Sim sim = new Sim(true, METER, new FakeTarget("false"));
                sim.verifier.after = 1888.0;
                sim.step();
                sim.target.rollOut();
                sim.step();
                sim.advance(Duration.ofMinutes(1));
                sim.step();
                return sim;
              }),
          java.util.Map.entry(Phase.RollingBack, PhaseTableTest::rollingBack),
          java.util.Map.entry(
              Phase.RolledBack,
              () -> {
                Sim sim = rollingBack();
                sim.target.rollOut();
                sim.step();
                return sim;
              }),
          java.util.Map.entry(
              Phase.Failed,
              () -> {
                Sim sim =
                    new Sim(true, HEALTH + "\nrollbackOnFailure: false", new FakeTarget("false"));
                sim.verifier.health = CheckResult.Failed;
                sim.step();
                sim.target.rollOut();
                sim.step();
                return sim;
              }));

  private static Sim settled(boolean suspend) {
    Sim sim = new Sim(suspend, HEALTH, new FakeTarget(suspend ? "false" : "true"));
    sim.step();
    sim.target.rollOut();
    sim.step();
    return sim;
  }

  /** Health failed, the previous value is written back, the rollback's rollout is under way. */
  private static Sim rollingBack() {
    Sim sim = new Sim(true, HEALTH, new FakeTarget("false"));
    sim.verifier.health = CheckResult.Failed;
    sim.step();
    sim.target.rollOut();
    sim.step();
    sim.verifier.health = CheckResult.Passed;
    sim.step();
    return sim;
  }

  static Stream<Arguments> table() {
    return Arrays.stream(Phase.values())
        .flatMap(p -> Arrays.stream(Event.values()).map(e -> Arguments.of(p, e)));
  }

  @ParameterizedTest(name = "{0} + {1}")
  @MethodSource("table")
  void everyPhaseSurvivesEveryEvent(Phase phase, Event event) {
    Sim sim = REACH.get(phase).get();
    assertThat(sim.phase()).as("reached").isEqualTo(phase);
    int writes = sim.target.writes.size();
    int restarts = sim.target.restarts.size();
    long generation = sim.cm.getMetadata().getGeneration();
    String windowStart =
        sim.cm.getStatus().getRequests() == null
                || sim.cm.getStatus().getRequests().getWindowStart() == null
            ? null
            : sim.cm.getStatus().getRequests().getWindowStart().getAt();

    switch (event) {
      case REPLAY -> sim.step();
      case OPERATOR_RESTART -> {
        sim.restartOperator();
        sim.step();
      }
      case ERROR_THEN_RECONCILE -> {
        sim.error("etcdserver: request timed out");
        sim.step();
      }
      case SPEC_EDIT -> {
        sim.edit(spec -> spec.setSuspend(!spec.getSuspend()));
        sim.step();
      }
    }

    if (event != Event.SPEC_EDIT) {
      assertThat(sim.phase()).as("the same phase").isEqualTo(phase);
      assertThat(sim.target.writes).as("no write").hasSize(writes);
      assertThat(sim.target.restarts).as("no restart").hasSize(restarts);
      if (windowStart != null) {
        assertThat(sim.cm.getStatus().getRequests().getWindowStart().getAt())
            .as("the window is continued, not restarted")
            .isEqualTo(windowStart);
      }
      return;
    }
    switch (phase) {
      case Pending ->
          assertThat(sim.phase()).as("references still broken").isEqualTo(Phase.Pending);
      case Planned -> {
        assertThat(sim.phase()).isEqualTo(Phase.Planned);
        assertThat(sim.target.writes).isEmpty();
      }
      default -> {
        assertThat(sim.cm.getStatus().getTransition().getGeneration())
            .as("a new transition for the edit")
            .isEqualTo(generation + 1);
        // Nothing left to write or restart (a rollback already restored what the edit asks for)
        // goes straight through verification.
        assertThat(sim.phase())
            .isIn(
                Phase.Baselining, Phase.RollingOut, Phase.Verifying, Phase.Suspended, Phase.Active);
        if (sim.phase() != Phase.Baselining) {
          String wanted = String.valueOf(sim.cm.getSpec().getSuspend());
          assertThat(sim.target.value).as("the edited value is applied").contains(wanted);
          assertThat(sim.target.workloads.values())
              .allSatisfy(
                  w ->
                      assertThat(w.hash)
                          .isEqualTo(sim.cm.getStatus().getTransition().getFlagHash()));
        }
      }
    }
  }
}
