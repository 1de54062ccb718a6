package io.cachemode.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachemode.operator.api.Phase;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where a reconcile may read from a cache, and where it must read the world itself. */
class ReconcileCoreTest {
  @Test
  void aWriteOrRestartIsDecidedOnFreshReadsAndFollowingTheRolloutOnCachedOnes() {
    Sim sim = new Sim(true, "", new FakeTarget("false"));
    sim.step();
    assertThat(sim.target.writes).containsExactly("true");
    assertThat(sim.target.restarts).hasSize(1);
    assertThat(sim.target.freshReads)
        .as("recording the transition read nothing fresh; the write did, once")
        .isEqualTo(1);

    // The informer has not seen the write yet: its copy still says false.
    sim.target.cachedValue = Optional.of("false");
    sim.step();
    assertThat(sim.target.freshReads).as("the stale copy looked like a write to do").isEqualTo(2);
    assertThat(sim.target.writes).as("the store holds the value: no second write").hasSize(1);
    assertThat(sim.phase()).isEqualTo(Phase.RollingOut);

    sim.target.rollOut();
    sim.step();
    assertThat(sim.phase()).isEqualTo(Phase.Suspended);
    assertThat(sim.target.freshReads).as("the end of the rollout needs no fresh read").isEqualTo(2);
  }
}
