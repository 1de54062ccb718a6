package io.cachemode.operator.targets.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachemode.operator.api.ApiConstants;
import io.cachemode.operator.api.WorkloadResult;
import io.cachemode.operator.targets.WorkloadState;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import org.junit.jupiter.api.Test;

class RolloutRulesTest {
  private static final String HASH = "5d6db761a0c6aa3a";

  private static DeploymentBuilder deployment(String hash, long generation, Long observed) {
    DeploymentBuilder b =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("app")
            .withGeneration(generation)
            .endMetadata()
            .withNewSpec()
            .withReplicas(3)
            .withNewTemplate()
            .withNewMetadata()
            .addToAnnotations(ApiConstants.RESTARTED_AT_ANNOTATION, "2026-11-29T03:00:00Z")
            .endMetadata()
            .endTemplate()
            .endSpec()
            .withNewStatus()
            .withObservedGeneration(observed)
            .withReplicas(3)
            .withUpdatedReplicas(3)
            .withReadyReplicas(3)
            .withAvailableReplicas(3)
            .endStatus();
    if (hash != null) {
      b.editSpec()
          .editTemplate()
          .editMetadata()
          .addToAnnotations(ApiConstants.FLAG_HASH_ANNOTATION, hash)
          .endMetadata()
          .endTemplate()
          .endSpec();
    }
    return b;
  }

  private static WorkloadState of(Deployment d) {
    return RolloutRules.deployment(d, HASH);
  }

  @Test
  void deploymentNotCarryingTheHashIsPending() {
    WorkloadState s = of(deployment(null, 2, 2L).build());
    assertThat(s.result()).isEqualTo(WorkloadResult.Pending);
    assertThat(of(deployment("0000000000000000", 2, 2L).build()).result())
        .isEqualTo(WorkloadResult.Pending);
  }

  @Test
  void deploymentFollowsKubectlRolloutStatusRules() {
    assertThat(of(deployment(HASH, 3, 2L).build()))
        .extracting(WorkloadState::result, WorkloadState::message)
        .containsExactly(
            WorkloadResult.RollingOut,
            "waiting for the deployment controller to observe the restart");
    assertThat(
            of(deployment(HASH, 3, 3L).editStatus().withUpdatedReplicas(1).endStatus().build())
                .message())
        .isEqualTo("1 of 3 replicas updated");
    assertThat(
            of(deployment(HASH, 3, 3L).editStatus().withReplicas(4).endStatus().build()).message())
        .isEqualTo("1 old replicas pending termination");
    assertThat(
            of(deployment(HASH, 3, 3L).editStatus().withAvailableReplicas(2).endStatus().build())
                .message())
        .isEqualTo("2 of 3 updated replicas available");
    WorkloadState done = of(deployment(HASH, 3, 3L).build());
    assertThat(done.complete()).isTrue();
    assertThat(done.restartedAt()).isEqualTo("2026-11-29T03:00:00Z");
    assertThat(done.flagHash()).isEqualTo(HASH);
  }

  @Test
  void progressDeadlineExceededFailsTheDeployment() {
    Deployment d =
        deployment(HASH, 3, 3L)
            .editStatus()
            .withUpdatedReplicas(1)
            .addNewCondition()
            .withType("Progressing")
            .withStatus("False")
            .withReason("ProgressDeadlineExceeded")
            .endCondition()
            .endStatus()
            .build();
    assertThat(of(d).result()).isEqualTo(WorkloadResult.Failed);
  }

  private static StatefulSetBuilder statefulSet(Integer partition, String current, String update) {
    StatefulSetBuilder b =
        new StatefulSetBuilder()
            .withNewMetadata()
            .withName("db")
            .withGeneration(5L)
            .endMetadata()
            .withNewSpec()
            .withReplicas(3)
            .withNewTemplate()
            .withNewMetadata()
            .addToAnnotations(ApiConstants.FLAG_HASH_ANNOTATION, HASH)
            .endMetadata()
            .endTemplate()
            .endSpec()
            .withNewStatus()
            .withObservedGeneration(5L)
            .withReadyReplicas(3)
            .withUpdatedReplicas(3)
            .withCurrentRevision(current)
            .withUpdateRevision(update)
            .endStatus();
    if (partition != null) {
      b.editSpec()
          .withNewUpdateStrategy()
          .withType("RollingUpdate")
          .withNewRollingUpdate()
          .withPartition(partition)
          .endRollingUpdate()
          .endUpdateStrategy()
          .endSpec();
    }
    return b;
  }

  @Test
  void statefulSetFollowsKubectlRolloutStatusRules() {
    StatefulSet notReady =
        statefulSet(null, "r1", "r1").editStatus().withReadyReplicas(2).endStatus().build();
    assertThat(RolloutRules.statefulSet(notReady, HASH).message())
        .isEqualTo("2 of 3 replicas ready");
    assertThat(RolloutRules.statefulSet(statefulSet(null, "r1", "r2").build(), HASH).result())
        .isEqualTo(WorkloadResult.RollingOut);
    StatefulSet partitioned =
        statefulSet(1, "r1", "r2").editStatus().withUpdatedReplicas(1).endStatus().build();
    assertThat(RolloutRules.statefulSet(partitioned, HASH).message())
        .isEqualTo("1 of 2 replicas above the partition updated");
    assertThat(RolloutRules.statefulSet(statefulSet(1, "r1", "r2").build(), HASH).complete())
        .isTrue();
    assertThat(RolloutRules.statefulSet(statefulSet(null, "r2", "r2").build(), HASH).complete())
        .isTrue();
  }
}
