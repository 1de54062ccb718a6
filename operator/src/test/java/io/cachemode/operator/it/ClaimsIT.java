package io.cachemode.operator.it;

import static io.cachemode.operator.it.Fixtures.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.cachemode.operator.api.ApiConstants;
import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.Conditions;
import io.cachemode.operator.api.Phase;
import io.cachemode.operator.api.Reasons;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The operator's claims on Secrets: released when a CacheMode is deleted, never fought over with
 * another writer, and one CacheMode's slow verification never holds back another.
 */
class ClaimsIT extends OperatorInNamespace {

  @Test
  void deletingACacheModeReleasesItsClaimAndLeavesTheValue() {
    fx.secret("gone-env", Map.of("SUSPEND_REDIS", "false"));
    fx.deployment("gone", 1);
    fx.cacheMode("gone-redis", true, "gone-env", "gone");
    fx.awaitPhase("gone-redis", Phase.Suspended);
    Secret claimed = client.secrets().inNamespace(ns).withName("gone-env").get();
    assertThat(claimed.getMetadata().getLabels()).containsKey(ApiConstants.MANAGED_KEY_LABEL);
    assertThat(claimed.getMetadata().getAnnotations()).containsKey(ApiConstants.OWNER_ANNOTATION);

    client.resources(CacheMode.class).inNamespace(ns).withName("gone-redis").delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client.resources(CacheMode.class).inNamespace(ns).withName("gone-redis").get()
                    == null);
    Secret released = client.secrets().inNamespace(ns).withName("gone-env").get();
    assertThat(released.getMetadata().getLabels())
        .doesNotContainKey(ApiConstants.MANAGED_KEY_LABEL);
    assertThat(released.getMetadata().getAnnotations())
        .doesNotContainKey(ApiConstants.OWNER_ANNOTATION);
    assertThat(fx.secretValue("gone-env", "SUSPEND_REDIS")).as("the value stays").isEqualTo("true");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(fx.events("gone-redis"))
                    .extracting(Event::getReason)
                    .contains("ClaimReleased"));
  }

  @Test
  void anotherFieldManagerRevertingTheKeyIsRepairedOnceThenContestedByName() {
    fx.secret("gitops-env", Map.of("SUSPEND_REDIS", "false"));
    fx.deployment("gitops", 1);
    fx.cacheMode("gitops-redis", true, "gitops-env", "gitops");
    fx.awaitPhase("gitops-redis", Phase.Suspended);
    int replicaSets = fx.replicaSets("gitops").size();

    // An Argo CD-style self-heal: the same manifest applied again and again under its own manager.
    revert("gitops-env");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "true".equals(fx.secretValue("gitops-env", "SUSPEND_REDIS")));
    revert("gitops-env");
    CacheMode cm = fx.awaitCondition("gitops-redis", Conditions.SECRET_SYNCED, Reasons.CONTESTED);
    revert("gitops-env");
    await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).until(() -> true);

    assertThat(fx.secretValue("gitops-env", "SUSPEND_REDIS"))
        .as("the operator stopped rewriting")
        .isEqualTo("false");
    cm = fx.get("gitops-redis");
    assertThat(condition(cm, Conditions.SECRET_SYNCED))
        .hasValueSatisfying(
            c -> assertThat(c.getMessage()).contains("argocd-application-controller"));
    assertThat(cm.getStatus().getSecret().getContest().getFieldManager())
        .isEqualTo("argocd-application-controller");
    assertThat(fx.events("gitops-redis"))
        .filteredOn(e -> e.getReason().equals("DriftRepaired"))
        .as("one repair, then no write loop")
        .hasSize(1);
    assertThat(fx.events("gitops-redis"))
        .filteredOn(e -> e.getReason().equals(Reasons.CONTESTED))
        .allSatisfy(e -> assertThat(e.getType()).isEqualTo("Warning"))
        .isNotEmpty();
    assertThat(fx.replicaSets("gitops")).as("no restart loop").hasSize(replicaSets);
  }

  private void revert(String secret) {
    client
        .secrets()
        .inNamespace(ns)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(secret)
                .endMetadata()
                .withStringData(Map.of("SUSPEND_REDIS", "false"))
                .build())
        .fieldManager("argocd-application-controller")
        .forceConflicts()
        .serverSideApply();
  }

  @Test
  void twentyCacheModesWithSlowChecksDoNotHoldBackABystander() throws Exception {
    // Every health request takes 4 s: twenty CacheModes keep every verification thread busy.
    HttpServer slow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    slow.setExecutor(Executors.newFixedThreadPool(40));
    slow.createContext(
        "/health",
        ex -> {
          try {
            Thread.sleep(4000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    slow.start();
    try {
      List<String> names = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String n = "slow" + i;
        fx.secret(n + "-env", Map.of("SUSPEND_REDIS", "false"));
        fx.deployment(n, 0);
        fx.create(
            """
            apiVersion: cachemode.io/v1alpha1
            kind: CacheMode
            metadata: {name: %1$s-redis}
            spec:
              suspend: true
              target:
                kubernetes:
                  secretRef: {name: %1$s-env}
                  workloads: [{kind: Deployment, name: %1$s}]
              rollout: {settle: 0s}
              healthChecks:
                - {name: api, url: "http://127.0.0.1:%2$d/health", attempts: 2, interval: 1s, timeout: 10s}
            """
                .formatted(n, slow.getAddress().getPort()));
        names.add(n + "-redis");
      }
      // Enough of them wait on their checks that every verification thread is busy.
      await()
          .atMost(Duration.ofMinutes(1))
          .until(
              () ->
                  names.stream()
                          .filter(
                              n ->
                                  fx.get(n).getStatus() != null
                                      && fx.get(n).getStatus().getPhase() == Phase.Verifying)
                          .count()
                      >= 10);

      fx.secret("bystander-env", Map.of("SUSPEND_REDIS", "false"));
      fx.deployment("bystander", 0);
      Instant created = Instant.now();
      fx.create(
          """
          apiVersion: cachemode.io/v1alpha1
          kind: CacheMode
          metadata: {name: bystander-redis}
          spec:
            suspend: true
            target:
              kubernetes:
                secretRef: {name: bystander-env}
                workloads: [{kind: Deployment, name: bystander}]
            rollout: {settle: 0s}
          """);
      fx.awaitPhase("bystander-redis", Phase.Suspended);
      Duration took = Duration.between(created, Instant.now());
      System.out.printf(
          "[ClaimsIT] bystander reached Suspended in %d ms while 20 CacheModes waited on slow checks%n",
          took.toMillis());
      assertThat(took)
          .as("the bystander is not queued behind slow verification")
          .isLessThan(Duration.ofSeconds(10));
      assertThat(
              names.stream()
                  .filter(n -> fx.get(n).getStatus().getPhase() == Phase.Verifying)
                  .count())
          .as("the slow ones were still being verified")
          .isPositive();
    } finally {
      slow.stop(0);
    }
  }
}
