package io.cachemode.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachemode.operator.api.CacheMode;
import io.fabric8.kubernetes.client.utils.Serialization;
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
}
