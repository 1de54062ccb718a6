package io.cachemode.operator.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrimmedStoreTest {
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
                TrimmedStore.LAST_APPLIED,
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
    TrimmedStore<Deployment> store = TrimmedStore.withoutManagedFields();
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
    TrimmedStore<Deployment> store = TrimmedStore.withoutManagedFields();
    Deployment d = deployment();
    d.getMetadata().setAnnotations(null);
    store.put(store.getKey(d), d);

    assertThat(store.get("team-a/atom").getMetadata().getAnnotations()).isNull();
    assertThat(store.keySet()).containsExactly("team-a/atom");
  }

  @Test
  void withoutFieldSetsKeepsWhoWroteWhenAndEverythingElse() {
    TrimmedStore<Deployment> store = TrimmedStore.withoutFieldSets();
    Deployment d = deployment();
    store.put(store.getKey(d), d);

    var kept = store.get("team-a/atom").getMetadata();
    assertThat(kept.getManagedFields())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getManager()).isEqualTo("kubectl");
              assertThat(e.getTime()).isEqualTo("2026-12-03T08:00:00Z");
              assertThat(e.getFieldsV1()).isNull();
            });
    assertThat(kept.getAnnotations()).containsKey(TrimmedStore.LAST_APPLIED);
  }
}
