package io.cachemode.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.cache.CacheModeIndexes;
import io.cachemode.operator.cache.ScannedIndexes;
import io.cachemode.operator.targets.kubernetes.KubernetesInformers;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ClaimsTest {

  private static CacheMode cacheMode(String name, String created, String secret, String workloads) {
    return Serialization.unmarshal(
        """
        apiVersion: cachemode.io/v1alpha1
        kind: CacheMode
        metadata: {name: %1$s, namespace: shop, uid: uid-%1$s, creationTimestamp: "%2$s"}
        spec:
          suspend: true
          target:
            kubernetes:
              secretRef: {name: %3$s}
              workloads: %4$s
        """
            .formatted(name, created, secret, workloads),
        CacheMode.class);
  }

  private final CacheMode older =
      cacheMode("redis", "2026-01-01T00:00:00Z", "redis-env", "[{kind: Deployment, name: web}]");

  @Test
  void aYoungerCacheModeRestartingTheSameDeploymentIsRefusedNamingTheOlder() {
    CacheMode younger =
        cacheMode(
            "cache",
            "2026-01-02T00:00:00Z",
            "cache-env",
            "[{kind: StatefulSet, name: db}, {kind: Deployment, name: web}]");

    assertThat(Claims.conflict(younger, Stream.of(older, younger)))
        .hasValue(
            "Deployment web is already restarted by CacheMode redis; a workload can follow one"
                + " CacheMode (each restart would undo the other's), so name it in only one of"
                + " the two");
    assertThat(Claims.conflict(older, Stream.of(older, younger)))
        .as("the older keeps it")
        .isEmpty();
  }

  @Test
  void aDeletedOwnerOrAnotherKindOfTheSameNameIsNoConflict() {
    CacheMode sameNameOtherKind =
        cacheMode("cache", "2026-01-02T00:00:00Z", "cache-env", "[{kind: StatefulSet, name: web}]");
    assertThat(Claims.conflict(sameNameOtherKind, Stream.of(older, sameNameOtherKind))).isEmpty();

    CacheMode younger =
        cacheMode("cache", "2026-01-02T00:00:00Z", "cache-env", "[{kind: Deployment, name: web}]");
    older.getMetadata().setDeletionTimestamp("2026-01-03T00:00:00Z");
    assertThat(Claims.conflict(younger, Stream.of(older, younger))).isEmpty();
  }

  @Test
  void theFlagLocationIsJudgedFirst() {
    CacheMode sameKey =
        cacheMode("cache", "2026-01-02T00:00:00Z", "redis-env", "[{kind: Deployment, name: web}]");
    assertThat(Claims.conflict(sameKey, Stream.of(older, sameKey)))
        .get()
        .asString()
        .startsWith(
            "Secret shop/redis-env key SUSPEND_REDIS is already managed by CacheMode redis");
  }

  @Test
  void contendersAreTheCacheModesSharingTheLocationOrANamedWorkload() {
    CacheMode sameSecret =
        cacheMode("b", "2026-01-02T00:00:00Z", "redis-env", "[{kind: StatefulSet, name: db}]");
    CacheMode sameWorkload =
        cacheMode("c", "2026-01-03T00:00:00Z", "c-env", "[{kind: Deployment, name: web}]");
    CacheMode otherKind =
        cacheMode("d", "2026-01-04T00:00:00Z", "d-env", "[{kind: StatefulSet, name: web}]");
    CacheMode unrelated =
        cacheMode("e", "2026-01-05T00:00:00Z", "e-env", "[{kind: Deployment, name: shop}]");
    for (CacheModeIndexes cache : lookups(older, sameSecret, sameWorkload, otherKind, unrelated)) {
      assertThat(Claims.contenders(cache, older).map(c -> c.getMetadata().getName()))
          .containsExactlyInAnyOrder("redis", "b", "c");
      assertThat(Claims.contenders(cache, unrelated)).containsExactly(unrelated);
    }
  }

  @Test
  void contendersDecideAsTheWholeNamespaceWould() {
    List<CacheMode> all =
        List.of(
            older,
            cacheMode("b", "2026-01-02T00:00:00Z", "redis-env", "[{kind: StatefulSet, name: db}]"),
            cacheMode("c", "2026-01-03T00:00:00Z", "c-env", "[{kind: Deployment, name: web}]"),
            cacheMode("d", "2026-01-04T00:00:00Z", "d-env", "[{kind: StatefulSet, name: db}]"),
            cacheMode("e", "2026-01-05T00:00:00Z", "e-env", "[{kind: Deployment, name: shop}]"));
    for (CacheModeIndexes cache : lookups(all.toArray(CacheMode[]::new))) {
      for (CacheMode cm : all) {
        assertThat(Claims.conflict(cm, Claims.contenders(cache, cm)))
            .as(cm.getMetadata().getName())
            .isEqualTo(Claims.conflict(cm, all.stream()));
      }
      assertThat(all.stream().map(cm -> Claims.conflict(cm, Claims.contenders(cache, cm))))
          .as("b, c and d each lose to an older one")
          .filteredOn(Optional::isPresent)
          .hasSize(3);
    }
  }

  /** The two lookups the operator runs with, over the same CacheModes. */
  private static List<CacheModeIndexes> lookups(CacheMode... items) {
    CacheModeStore store = new CacheModeStore();
    for (CacheMode cm : items) {
      store.put(store.getKey(cm), cm);
    }
    return List.of(indexed(store), indexed(new ScannedIndexes(new ListCache(List.of(items)))));
  }

  private static CacheModeIndexes indexed(CacheModeIndexes lookup) {
    Claims.index(lookup);
    KubernetesInformers.index(lookup);
    return lookup;
  }

  /** JOSDK's cache over a fixed list, for {@link ScannedIndexes}. */
  private record ListCache(List<CacheMode> items) implements IndexedResourceCache<CacheMode> {
    @Override
    public List<CacheMode> byIndex(String name, String key) {
      throw new UnsupportedOperationException("Fabric8's index is not read");
    }

    @Override
    public Optional<CacheMode> get(ResourceID id) {
      return items.stream().filter(cm -> ResourceID.fromResource(cm).equals(id)).findFirst();
    }

    @Override
    public Stream<ResourceID> keys() {
      return items.stream().map(ResourceID::fromResource);
    }

    @Override
    public Stream<CacheMode> list(Predicate<CacheMode> predicate) {
      return items.stream().filter(predicate);
    }

    @Override
    public Stream<CacheMode> list(String namespace, Predicate<CacheMode> predicate) {
      return list(cm -> namespace.equals(cm.getMetadata().getNamespace()) && predicate.test(cm));
    }
  }
}
