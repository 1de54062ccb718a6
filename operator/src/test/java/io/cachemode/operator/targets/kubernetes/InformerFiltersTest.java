package io.cachemode.operator.targets.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which informer updates wake a reconcile. */
class InformerFiltersTest {
  private static final String OWN_APPLY =
      """
      - manager: cachemode-operator
        operation: Apply
        time: "2026-12-02T05:40:00Z"
        fieldsType: FieldsV1
        fieldsV1: {"f:data": {"f:SUSPEND_REDIS": {}}}
      """;

  @Test
  void theOperatorsOwnWriteOfTheKeyWakesNothing() {
    Secret before = secret("ZmFsc2U=", OWN_APPLY, "app-redis");
    Secret after = secret("dHJ1ZQ==", OWN_APPLY, "app-redis");
    assertThat(KubernetesInformers.ownWrite(after, before)).isTrue();
  }

  @Test
  void anotherWritersChangeOfTheKeyIsSeenWhetherItUpdatedOrApplied() {
    Secret before = secret("dHJ1ZQ==", OWN_APPLY, "app-redis");
    Secret edited =
        secret(
            "ZmFsc2U=",
            """
            - manager: kubectl-edit
              operation: Update
              time: "2026-12-02T05:40:00Z"
              fieldsType: FieldsV1
              fieldsV1: {"f:data": {"f:SUSPEND_REDIS": {}}}
            """,
            "app-redis");
    Secret applied =
        secret(
            "ZmFsc2U=",
            OWN_APPLY
                + """
                - manager: argocd-application-controller
                  operation: Apply
                  time: "2026-12-02T05:40:00Z"
                  fieldsType: FieldsV1
                  fieldsV1: {"f:stringData": {"f:SUSPEND_REDIS": {}}}
                """,
            "app-redis");
    assertThat(KubernetesInformers.ownWrite(edited, before)).isFalse();
    assertThat(KubernetesInformers.ownWrite(applied, before))
        .as("in the same second as the operator's write")
        .isFalse();
  }

  @Test
  void aChangedOwnerAnnotationIsSeen() {
    Secret before = secret("dHJ1ZQ==", OWN_APPLY, "app-redis");
    Secret after = secret("dHJ1ZQ==", OWN_APPLY, "other-redis");
    assertThat(KubernetesInformers.ownWrite(after, before)).isFalse();
  }

  @Test
  void theControllersStatusWritesWakeOnlyWhenTheRulesReadSomethingNew() {
    Deployment restarted = deployment(3, 2, 0, "ReplicaSetUpdated", Map.of("app", "web"));
    assertThat(
            RolloutRules.changesWhatRulesRead(
                deployment(3, 3, 0, "ReplicaSetUpdated", Map.of("app", "web")), restarted))
        .as("the controller observed the restart")
        .isTrue();
    Deployment observed = deployment(3, 3, 0, "ReplicaSetUpdated", Map.of("app", "web"));
    assertThat(
            RolloutRules.changesWhatRulesRead(
                deployment(3, 3, 0, "NewReplicaSetAvailable", Map.of("app", "web")), observed))
        .as("only the Progressing reason moved on")
        .isFalse();
    assertThat(
            RolloutRules.changesWhatRulesRead(
                deployment(3, 3, 0, "ProgressDeadlineExceeded", Map.of("app", "web")), observed))
        .as("the deadline passed")
        .isTrue();
    assertThat(
            RolloutRules.changesWhatRulesRead(
                deployment(4, 3, 0, "ReplicaSetUpdated", Map.of("app", "web")), observed))
        .as("a new generation waits for the controller's answer")
        .isFalse();
    assertThat(
            RolloutRules.changesWhatRulesRead(
                deployment(3, 3, 0, "ReplicaSetUpdated", Map.of("app", "api")), observed))
        .as("labels decide which CacheModes select it")
        .isTrue();
    assertThat(
            RolloutRules.changesWhatRulesRead(
                deployment(3, 3, 1, "ReplicaSetUpdated", Map.of("app", "web")), observed))
        .isTrue();
  }

  @Test
  void aStatefulSetsRevisionsAreRead() {
    StatefulSet before = statefulSet("web-1", "web-2");
    assertThat(RolloutRules.changesWhatRulesRead(statefulSet("web-2", "web-2"), before)).isTrue();
    assertThat(RolloutRules.changesWhatRulesRead(statefulSet("web-1", "web-2"), before)).isFalse();
  }

  private static Secret secret(String value, String managedFields, String owner) {
    return Serialization.unmarshal(
        """
        apiVersion: v1
        kind: Secret
        metadata:
          name: app-env
          labels: {cachemode.io/managed-key: SUSPEND_REDIS}
          annotations: {cachemode.io/owner: %s}
          managedFields:
        %s
        data: {SUSPEND_REDIS: %s}
        """
            .formatted(owner, managedFields.indent(2), value),
        Secret.class);
  }

  private static Deployment deployment(
      long generation, long observed, int ready, String progressing, Map<String, String> labels) {
    Deployment d =
        Serialization.unmarshal(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, generation: %d}
            spec: {replicas: 1, template: {metadata: {}, spec: {containers: []}}}
            status:
              observedGeneration: %d
              replicas: 1
              updatedReplicas: 1
              readyReplicas: %d
              availableReplicas: %d
              conditions: [{type: Progressing, status: "True", reason: %s}]
            """
                .formatted(generation, observed, ready, ready, progressing),
            Deployment.class);
    d.getMetadata().setLabels(labels);
    return d;
  }

  private static StatefulSet statefulSet(String current, String update) {
    return Serialization.unmarshal(
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: web, generation: 2}
        spec: {replicas: 1, template: {metadata: {}, spec: {containers: []}}}
        status: {observedGeneration: 2, replicas: 1, currentRevision: %s, updateRevision: %s}
        """
            .formatted(current, update),
        StatefulSet.class);
  }
}
