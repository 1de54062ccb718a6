package io.cachemode.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachemode.operator.api.Phase;
import org.junit.jupiter.api.Test;

/** What a change tells {@code kubectl describe}: one Event where several would say the same. */
class NotifierTest {
  @Test
  void aChangeIsAnnouncedOncePerStepTheWriteWithItsRestartAndVerifyingWithItsEnd() {
    Sim sim = new Sim(true, "", new FakeTarget("false"));
    sim.step();
    sim.target.rollOut();
    sim.step();

    assertThat(sim.phase()).isEqualTo(Phase.Suspended);
    assertThat(sim.events).containsExactly("RollingOut", "Restarted", "Suspended");
    assertThat(sim.eventMessages.get(1))
        .as("the write is in the restart's Event")
        .startsWith("wrote true to ")
        .contains("; restarted Deployment app for flag hash ");
    assertThat(sim.eventMessages.get(2))
        .as("the phase passed through is named")
        .startsWith("RollingOut -> Verifying (RolloutComplete) -> Suspended (");
    assertThat(
            sim.registry.get("cachemode.transitions").tag("result", "Verifying").counter().count())
        .as("every phase entered is still counted")
        .isEqualTo(1);
  }

  @Test
  void aRepairKeepsItsOwnEventBesideTheRestart() {
    Sim sim = new Sim(true, "", new FakeTarget("fa61a13817d73a23"));
    sim.step();

    assertThat(sim.events).containsExactly("RollingOut", "SecretRepaired", "Restarted");
    assertThat(sim.eventMessages.get(2)).startsWith("restarted Deployment app for flag hash ");
  }
}
