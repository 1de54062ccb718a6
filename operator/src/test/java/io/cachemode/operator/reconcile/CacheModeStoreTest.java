package io.cachemode.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.cachemode.operator.api.CacheMode;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheModeStoreTest {
  private static CacheMode editedAt(String specTime, String statusTime) {
    CacheMode cm = Sim.cacheMode(true, "");
    cm.getSpec().getRollout().setSettle("10s");
    var spec = new FieldsV1();
    spec.setAdditionalProperty("f:spec", Map.of("f:suspend", Map.of()));
    var status = new FieldsV1();
    status.setAdditionalProperty("f:status", Map.of("f:phase", Map.of()));
    cm.getMetadata()
        .setManagedFields(
            List.of(
                new ManagedFieldsEntryBuilder()
                    .withManager("kubectl")
                    .withOperation("Update")
                    .withTime(specTime)
                    .withFieldsV1(spec)
                    .build(),
                new ManagedFieldsEntryBuilder()
                    .withManager("cachemode-operator")
                    .withOperation("Apply")
                    .withSubresource("status")
                    .withTime(statusTime)
                    .withFieldsV1(status)
                    .build()));
    return cm;
  }

  @Test
  void keepsWhoWroteWhenWithoutTheFieldSets() {
    var store = new CacheModeStore();
    CacheMode cm = editedAt("2026-12-03T08:00:00Z", "2026-12-03T08:00:05Z");
    store.put(store.getKey(cm), cm);

    var kept = store.get("ns/app-redis");
    assertThat(kept.getMetadata().getManagedFields())
        .extracting(e -> e.getManager(), e -> e.getSubresource(), e -> e.getTime())
        .containsExactly(
            tuple("kubectl", null, "2026-12-03T08:00:00Z"),
            tuple("cachemode-operator", "status", "2026-12-03T08:00:05Z"));
    assertThat(kept.getMetadata().getManagedFields()).allMatch(e -> e.getFieldsV1() == null);
    assertThat(kept.getSpec().getSuspend()).isTrue();
  }

  @Test
  void theSettleWindowReadsTheSameFromATrimmedCopy() {
    var store = new CacheModeStore();
    CacheMode cm = editedAt("2026-12-03T08:00:00Z", "2026-12-03T08:00:05Z");
    Instant now = Instant.parse("2026-12-03T08:00:04Z");
    var whole = Coalescing.remaining(cm, now);
    store.put(store.getKey(cm), cm);

    assertThat(Coalescing.remaining(store.get("ns/app-redis"), now))
        .isEqualTo(whole)
        .contains(Duration.ofSeconds(6));
  }

  @Test
  void aCacheModeWithoutManagedFieldsIsKept() {
    var store = new CacheModeStore();
    CacheMode cm = Sim.cacheMode(false, "");
    cm.getMetadata().setManagedFields(null);
    store.put(store.getKey(cm), cm);

    assertThat(store.keySet()).containsExactly("ns/app-redis");
    assertThat(store.get("ns/app-redis").getMetadata().getManagedFields()).isNull();
  }
}
