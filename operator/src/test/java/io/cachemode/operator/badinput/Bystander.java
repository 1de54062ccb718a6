package io.cachemode.operator.badinput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.Phase;
import io.cachemode.operator.it.Fixtures;
import java.time.Duration;
import java.util.Map;

/**
 * A healthy CacheMode next to the bad input. {@link #flip} changes its suspend and waits until it
 * reached the final phase of that value with exactly one more restart of its Deployment: an
 * operator that crashed, hung a reconcile thread or hot-looped on a bad CacheMode fails it.
 */
final class Bystander {
  static final String NAME = "bystander";

  private final Fixtures fx;
  private boolean suspend = true;
  private int flips;

  private Bystander(Fixtures fx) {
    this.fx = fx;
  }

  /** Creates the bystander (suspend: true) and waits until it is Suspended. */
  static Bystander start(Fixtures fx) {
    fx.secret(NAME + "-env", Map.of("SUSPEND_REDIS", "false"));
    fx.deployment(NAME, 1);
    fx.create(
        """
        apiVersion: cachemode.io/v1alpha1
        kind: CacheMode
        metadata: {name: %1$s}
        spec:
          suspend: true
          target:
            kubernetes:
              secretRef: {name: %1$s-env}
              workloads: [{kind: Deployment, name: %1$s}]
          rollout: {settle: 0s, timeout: 1m}
        """
            .formatted(NAME));
    Bystander b = new Bystander(fx);
    b.awaitSettled(Duration.ofMinutes(1));
    return b;
  }

  /** Flips suspend; asserts the new final phase, the Secret's value and one more restart. */
  void flip() {
    int revision = revision();
    suspend = !suspend;
    flips++;
    fx.editSpec(NAME, spec -> spec.setSuspend(suspend));
    awaitSettled(Duration.ofSeconds(30));
    assertThat(fx.secretValue(NAME + "-env", "SUSPEND_REDIS")).isEqualTo(String.valueOf(suspend));
    assertThat(revision())
        .as("one restart of the bystander for flip %d", flips)
        .isEqualTo(revision + 1);
    assertThat(fx.available(NAME)).isEqualTo(1);
  }

  /** The Deployment's rollout revision: one more per restart (ReplicaSets are pruned at 10). */
  private int revision() {
    return Integer.parseInt(
        fx.deploymentAnnotations(NAME).getOrDefault("deployment.kubernetes.io/revision", "0"));
  }

  private void awaitSettled(Duration atMost) {
    Phase wanted = suspend ? Phase.Suspended : Phase.Active;
    await("bystander reaches " + wanted + " (flip " + flips + ")")
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              CacheMode cm = fx.get(NAME);
              return cm.getStatus() != null
                  && cm.getStatus().getPhase() == wanted
                  && cm.getMetadata().getGeneration().equals(cm.getStatus().getObservedGeneration())
                  && fx.available(NAME) == 1;
            });
  }
}
