package io.cachemode.operator.targets.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachemode.operator.api.ApiConstants;
import io.cachemode.operator.verify.PodLogs;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CurrentRevisionPodsTest {

  private static final String RESTARTED = ApiConstants.RESTARTED_AT_ANNOTATION;

  private static PodTemplateSpec template(String restartedAt, String image) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .addToLabels("app", "shop")
        .addToAnnotations(RESTARTED, restartedAt)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage(image)
        .endContainer()
        .endSpec()
        .build();
  }

  private static PodBuilder pod(String name, String hash, String restartedAt, String image) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withCreationTimestamp("2026-09-02T10:00:00Z")
        .addToLabels("app", "shop")
        .addToLabels(CurrentRevisionPods.POD_TEMPLATE_HASH, hash)
        .addToAnnotations(RESTARTED, restartedAt)
        .addToAnnotations("injected-by-admission", "x")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage(image)
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .addNewContainerStatus()
        .withName("app")
        .withNewState()
        .withNewRunning()
        .withStartedAt("2026-09-02T10:00:05Z")
        .endRunning()
        .endState()
        .endContainerStatus()
        .endStatus();
  }

  private static List<String> names(CurrentRevisionPods.Selection selection) {
    return selection.pods().stream().map(p -> p.getMetadata().getName()).toList();
  }

  @Test
  void theDeploymentsCurrentReplicaSetIsTheOneCarryingItsTemplate() {
    PodTemplateSpec current = template("2026-09-02T10:00:00Z", "shop:2");
    List<Pod> pods =
        List.of(
            pod("shop-old-1", "old", "2026-09-01T08:00:00Z", "shop:2").build(),
            pod("shop-new-2", "new", "2026-09-02T10:00:00Z", "shop:2").build(),
            pod("shop-new-1", "new", "2026-09-02T10:00:00Z", "shop:2").build());

    CurrentRevisionPods.Selection selection = CurrentRevisionPods.ofDeployment(current, pods);

    assertThat(selection.revision()).contains("new");
    assertThat(names(selection)).containsExactly("shop-new-1", "shop-new-2");
  }

  @Test
  void anImageChangeAloneAlsoTellsReplicaSetsApart() {
    PodTemplateSpec current = template("same", "shop:3");
    List<Pod> pods =
        List.of(pod("a", "h2", "same", "shop:2").build(), pod("b", "h3", "same", "shop:3").build());

    assertThat(names(CurrentRevisionPods.ofDeployment(current, pods))).containsExactly("b");
  }

  @Test
  void terminatingAndFinishedPodsAreLeftOutAndNoMatchIsEmpty() {
    PodTemplateSpec current = template("t", "shop:2");
    Pod terminating =
        pod("a", "h", "t", "shop:2")
            .editMetadata()
            .withDeletionTimestamp("2026-09-02T10:01:00Z")
            .endMetadata()
            .build();
    Pod finished =
        pod("b", "h", "t", "shop:2").editStatus().withPhase("Failed").endStatus().build();
    Pod stale = pod("c", "h0", "older", "shop:2").build();

    CurrentRevisionPods.Selection selection =
        CurrentRevisionPods.ofDeployment(current, List.of(terminating, finished, stale));

    assertThat(selection.revision()).isEmpty();
    assertThat(selection.pods()).isEmpty();
  }

  @Test
  void whenTwoReplicaSetsMatchTheNewestPodWins() {
    PodTemplateSpec current = template("t", "shop:2");
    Pod older = pod("a", "h1", "t", "shop:2").build();
    Pod newer =
        pod("b", "h2", "t", "shop:2")
            .editMetadata()
            .withCreationTimestamp("2026-09-02T11:00:00Z")
            .endMetadata()
            .build();

    assertThat(CurrentRevisionPods.ofDeployment(current, List.of(older, newer)).revision())
        .contains("h2");
  }

  @Test
  void aStatefulSetsUpdateRevisionSelectsItsPods() {
    Pod current =
        pod("db-0", "x", "t", "db:1")
            .editMetadata()
            .addToLabels(CurrentRevisionPods.CONTROLLER_REVISION_HASH, "db-7c9")
            .endMetadata()
            .build();
    Pod old =
        pod("db-1", "x", "t", "db:1")
            .editMetadata()
            .addToLabels(CurrentRevisionPods.CONTROLLER_REVISION_HASH, "db-5a1")
            .endMetadata()
            .build();

    CurrentRevisionPods.Selection selection =
        CurrentRevisionPods.ofStatefulSet("db-7c9", List.of(old, current));

    assertThat(selection.revision()).isEqualTo(Optional.of("db-7c9"));
    assertThat(names(selection)).containsExactly("db-0");
    assertThat(CurrentRevisionPods.ofStatefulSet(null, List.of(current)).pods()).isEmpty();
  }

  @Test
  void describesContainersTheirStartAndTheDefaultContainer() {
    Pod pod =
        pod("a", "h", "t", "shop:2")
            .editMetadata()
            .addToAnnotations(CurrentRevisionPods.DEFAULT_CONTAINER_ANNOTATION, "sidecar")
            .endMetadata()
            .editSpec()
            .addNewContainer()
            .withName("sidecar")
            .endContainer()
            .endSpec()
            .build();

    PodLogs.Pod described = CurrentRevisionPods.describe(pod);

    assertThat(described)
        .isEqualTo(
            new PodLogs.Pod(
                "a",
                List.of(
                    new PodLogs.Container("app", Instant.parse("2026-09-02T10:00:05Z")),
                    new PodLogs.Container("sidecar", null)),
                "sidecar"));
    assertThat(
            CurrentRevisionPods.describe(pod("b", "h", "t", "shop:2").build()).defaultContainer())
        .isEqualTo("app");
  }
}
