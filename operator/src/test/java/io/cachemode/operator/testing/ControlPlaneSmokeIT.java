package io.cachemode.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cachemode.operator.api.ApiConstants;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Proves the local control plane behaves like a cluster: version, scheduling, rollouts and CRD
 * validation.
 */
@Tag("e2e")
@ExtendWith(ControlPlaneExtension.class)
class ControlPlaneSmokeIT {
  private static final long WAIT_SECONDS = 60;

  private final KubernetesClient client;
  private final String ns;

  ControlPlaneSmokeIT(KubernetesClient client, TestNamespace namespace) {
    this.client = client;
    this.ns = namespace.name();
  }

  @Test
  void reportsTheBuiltKubernetesVersion() throws IOException {
    // The version testenv/kube/go.mod pins, as testenv/build.sh recorded it next to the binaries.
    String pinned =
        Files.readString(LocalControlPlane.get().binDir().resolve("kubernetes-version")).strip();
    assertThat(pinned).startsWith("v1.");
    assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo(pinned);
  }

  @Test
  void deploymentBecomesAvailableOnTheFakeNode() {
    Resource<Deployment> deployment = createDeployment("web", 2);

    Deployment available =
        deployment.waitUntilCondition(
            d ->
                d != null
                    && d.getStatus() != null
                    && intOf(d.getStatus().getAvailableReplicas()) == 2,
            WAIT_SECONDS,
            TimeUnit.SECONDS);

    assertThat(available.getStatus().getAvailableReplicas()).isEqualTo(2);
    List<Pod> pods = client.pods().inNamespace(ns).withLabel("app", "web").list().getItems();
    assertThat(pods).hasSize(2);
    for (Pod pod : pods) {
      assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
      Node node = client.nodes().withName(pod.getSpec().getNodeName()).get();
      assertThat(node.getMetadata().getAnnotations()).containsEntry("kwok.x-k8s.io/node", "fake");
    }
  }

  @Test
  void restartRollsOutANewReplicaSet() {
    Resource<Deployment> deployment = createDeployment("restart", 2);
    deployment.waitUntilCondition(d -> d != null && rolledOut(d), WAIT_SECONDS, TimeUnit.SECONDS);
    String oldReplicaSet = onlyReplicaSet("restart").getMetadata().getName();

    // What `kubectl rollout restart` does: change an annotation of the pod template.
    deployment.edit(
        d ->
            new DeploymentBuilder(d)
                .editSpec()
                .editTemplate()
                .editMetadata()
                .addToAnnotations("kubectl.kubernetes.io/restartedAt", Instant.now().toString())
                .endMetadata()
                .endTemplate()
                .endSpec()
                .build());

    await("rollout of the restarted Deployment to a new ReplicaSet")
        .atMost(Duration.ofSeconds(WAIT_SECONDS))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                rolledOut(deployment.get())
                    && replicaSets("restart").stream()
                        .anyMatch(rs -> !rs.getMetadata().getName().equals(oldReplicaSet)));
    List<ReplicaSet> sets = replicaSets("restart");
    assertThat(sets).hasSize(2);
    for (ReplicaSet rs : sets) {
      int expected = rs.getMetadata().getName().equals(oldReplicaSet) ? 0 : 2;
      assertThat(rs.getSpec().getReplicas()).as(rs.getMetadata().getName()).isEqualTo(expected);
      assertThat(intOf(rs.getStatus().getReplicas()))
          .as(rs.getMetadata().getName())
          .isEqualTo(expected);
      assertThat(intOf(rs.getStatus().getAvailableReplicas())).isEqualTo(expected);
    }
  }

  @Test
  void cacheModeCrdRejectsInvalidObjectsWithTheApiServersMessage() {
    var cacheModes =
        client
            .genericKubernetesResources(
                ApiConstants.GROUP + "/" + ApiConstants.VERSION, ApiConstants.KIND)
            .inNamespace(ns);

    // Control: a valid object is accepted, so the rejections below are caused by the one fault each
    // carries.
    GenericKubernetesResource valid = cacheMode("valid", "true", kubernetesTarget());
    assertThat(cacheModes.resource(valid).create().getMetadata().getUid()).isNotBlank();

    String bothTargets = kubernetesTarget() + "," + flyTarget();
    assertThatThrownBy(() -> cacheModes.resource(cacheMode("both", "true", bothTargets)).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContaining(
            "exactly one of spec.target.kubernetes or spec.target.fly must be set");

    assertThatThrownBy(
            () ->
                cacheModes
                    .resource(cacheMode("digest", "\"fa61a13817d73a23\"", kubernetesTarget()))
                    .create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContaining("spec.suspend in body must be of type boolean");

    assertThat(cacheModes.list().getItems())
        .extracting(r -> r.getMetadata().getName())
        .containsExactly("valid");
  }

  private Resource<Deployment> createDeployment(String name, int replicas) {
    Deployment deployment =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .withReplicas(replicas)
            .withNewSelector()
            .addToMatchLabels("app", name)
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .addToLabels("app", name)
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("app")
            .withImage("registry.invalid/app:1") // kwok never pulls images
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    client.apps().deployments().inNamespace(ns).resource(deployment).create();
    return client.apps().deployments().inNamespace(ns).withName(name);
  }

  /**
   * The checks of `kubectl rollout status`: observed, all replicas updated and available, none old
   * left.
   */
  private static boolean rolledOut(Deployment d) {
    DeploymentStatus s = d.getStatus();
    int desired = intOf(d.getSpec().getReplicas());
    return s != null
        && s.getObservedGeneration() != null
        && s.getObservedGeneration() >= d.getMetadata().getGeneration()
        && intOf(s.getUpdatedReplicas()) == desired
        && intOf(s.getReplicas()) == desired
        && intOf(s.getAvailableReplicas()) == desired;
  }

  private List<ReplicaSet> replicaSets(String app) {
    return client.apps().replicaSets().inNamespace(ns).withLabel("app", app).list().getItems();
  }

  private ReplicaSet onlyReplicaSet(String app) {
    List<ReplicaSet> sets = replicaSets(app);
    assertThat(sets).hasSize(1);
    return sets.get(0);
  }

  private static int intOf(Integer value) {
    return Objects.requireNonNullElse(value, 0);
  }

  /**
   * Parsed from JSON text so that {@code suspend} reaches the API server exactly as written (no
   * client coercion).
   */
  private GenericKubernetesResource cacheMode(String name, String suspendJson, String targetJson) {
    String json =
        """
        {"apiVersion": "%s/%s", "kind": "%s",
         "metadata": {"name": "%s"},
         "spec": {"suspend": %s, "target": {%s}}}
        """
            .formatted(
                ApiConstants.GROUP,
                ApiConstants.VERSION,
                ApiConstants.KIND,
                name,
                suspendJson,
                targetJson);
    GenericKubernetesResource resource =
        client.getKubernetesSerialization().unmarshal(json, GenericKubernetesResource.class);
    Object suspend = ((Map<?, ?>) resource.getAdditionalProperties().get("spec")).get("suspend");
    assertThat(suspend).isInstanceOf(suspendJson.startsWith("\"") ? String.class : Boolean.class);
    return resource;
  }

  private static String kubernetesTarget() {
    return """
        "kubernetes": {"secretRef": {"name": "app-flags"},
                       "workloads": [{"kind": "Deployment", "name": "web"}]}""";
  }

  private static String flyTarget() {
    return """
        "fly": {"app": "atom-saas", "tokenSecretRef": {"name": "fly-token", "key": "token"}}""";
  }
}
