package io.cachemode.operator.targets.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrimmedWorkloadStoreTest {
  private static Deployment deployment() {
    var fields = new FieldsV1();
    fields.setAdditionalProperty("f:spec", Map.of("f:replicas", Map.of()));
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("atom")
        .withNamespace("team-a")
        .withManagedFields(
            List.of(
                new ManagedFieldsEntryBuilder()
                    .withManager("kubectl")
                    .withOperation("Update")
                    .withTime("2026-12-03T08:00:00Z")
                    .withFieldsV1(fields)
                    .build()))
        .withAnnotations(
            Map.of(
                TrimmedWorkloadStore.LAST_APPLIED,
                "{\"kind\":\"Deployment\"}",
                "deployment.kubernetes.io/revision",
                "2"))
        .withLabels(Map.of("app", "atom"))
        .endMetadata()
        .withNewSpec()
        .withReplicas(2)
        .withNewTemplate()
        .withNewMetadata()
        .withAnnotations(Map.of("cachemode.io/flag-hash", "abc"))
        .endMetadata()
        .endTemplate()
        .endSpec()
        .build();
  }

  @Test
  void workloadsAreKeptWithoutManagedFieldsOrKubectlsCopyAndOtherwiseAsTheyWere() {
    var store = new TrimmedWorkloadStore<Deployment>();
    Deployment d = deployment();
    store.put(store.getKey(d), d);

    Deployment kept = store.get("team-a/atom");
    assertThat(kept.getMetadata().getManagedFields()).isNull();
    assertThat(kept.getMetadata().getAnnotations())
        .isEqualTo(Map.of("deployment.kubernetes.io/revision", "2"));
    assertThat(kept.getMetadata().getLabels()).isEqualTo(Map.of("app", "atom"));
    assertThat(kept.getSpec().getReplicas()).isEqualTo(2);
    assertThat(kept.getSpec().getTemplate().getMetadata().getAnnotations())
        .isEqualTo(Map.of("cachemode.io/flag-hash", "abc"));
  }

  @Test
  void aWorkloadWithoutAnnotationsIsKeptAsItIs() {
    var store = new TrimmedWorkloadStore<Deployment>();
    Deployment d = deployment();
    d.getMetadata().setAnnotations(null);
    store.put(store.getKey(d), d);

    assertThat(store.get("team-a/atom").getMetadata().getAnnotations()).isNull();
    assertThat(store.keySet()).containsExactly("team-a/atom");
  }
}
