package io.cachemode.operator.it;

import static io.cachemode.operator.it.Fixtures.DIGEST;
import static io.cachemode.operator.it.Fixtures.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachemode.operator.api.ApiConstants;
import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.Phase;
import io.cachemode.operator.api.ValueState;
import io.cachemode.operator.api.WorkloadResult;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes target end to end: a real API server, controller-manager, scheduler and kwok node.
 */
class CacheModeKubernetesIT extends OperatorInNamespace {
  @Test
  void repairsTheDigestLikeSecretAndRestartsTheDeploymentOnce() {
    fx.secret("atom-env", Map.of("SUSPEND_REDIS", DIGEST, "DATABASE_URL", "postgres://db/atom"));
    fx.deployment("atom", 2);
    assertThat(fx.replicaSets("atom")).hasSize(1);

    fx.cacheMode("atom-redis", true, "atom-env", "atom");
    CacheMode cm = fx.awaitPhase("atom-redis", Phase.Suspended);

    assertThat(fx.secretValue("atom-env", "SUSPEND_REDIS")).isEqualTo("true");
    assertThat(fx.secretValue("atom-env", "DATABASE_URL")).isEqualTo("postgres://db/atom");
    assertThat(fx.templateAnnotations("atom"))
        .containsEntry(ApiConstants.FLAG_HASH_ANNOTATION, cm.getStatus().getAppliedValueHash())
        .containsKey(ApiConstants.RESTARTED_AT_ANNOTATION);
    assertThat(fx.replicaSets("atom")).as("exactly one restart").hasSize(2);

    var status = cm.getStatus();
    assertThat(status.getObservedGeneration()).isEqualTo(cm.getMetadata().getGeneration());
    assertThat(status.getAppliedSuspend()).isTrue();
    assertThat(status.getSecret().getBefore().getState()).isEqualTo(ValueState.DigestLike);
    assertThat(status.getSecret().getBefore().getEffectiveSuspend()).isFalse();
    assertThat(status.getSecret().getCurrent().getState()).isEqualTo(ValueState.Canonical);
    assertThat(status.getWorkloads())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.getResult()).isEqualTo(WorkloadResult.Complete);
              assertThat(w.getUpdatedReplicas()).isEqualTo(2);
            });
    assertThat(condition(cm, "Ready"))
        .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
    assertThat(condition(cm, "RolloutComplete"))
        .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
    assertThat(status.getHistory())
        .extracting(h -> h.getTo())
        .containsSubsequence(Phase.RollingOut, Phase.Suspended);

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(fx.events("atom-redis"))
                    .extracting(Event::getReason)
                    .contains("SecretRepaired", "Restarted"));
    assertThat(fx.events("atom-redis"))
        .filteredOn(e -> e.getReason().equals("SecretRepaired"))
        .first()
        .satisfies(e -> assertThat(e.getMessage()).contains("DigestLike"));

    String everythingRecorded =
        Serialization.asJson(status) + Serialization.asJson(fx.events("atom-redis"));
    assertThat(everythingRecorded).doesNotContain(DIGEST).doesNotContain("postgres://");
    assertThat(operator.counter("cachemode.restarts", "kind", "Deployment"))
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void appliedValueIsNotRestartedAgainAndOperatorRestartResumesWithoutASecondRestart() {
    fx.secret("resume-env", Map.of("SUSPEND_REDIS", "false"));
    fx.deployment("resume", 1);
    fx.cacheMode("resume-redis", true, "resume-env", "resume");
    await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () -> fx.templateAnnotations("resume").containsKey(ApiConstants.FLAG_HASH_ANNOTATION));
    String restartedAt = fx.templateAnnotations("resume").get(ApiConstants.RESTARTED_AT_ANNOTATION);

    // A new operator process takes over mid-transition; the world (annotation hash) says the
    // restart already happened.
    restartOperator();
    CacheMode cm = fx.awaitPhase("resume-redis", Phase.Suspended);
    assertThat(fx.templateAnnotations("resume"))
        .containsEntry(ApiConstants.RESTARTED_AT_ANNOTATION, restartedAt);
    assertThat(fx.replicaSets("resume")).hasSize(2);

    // A spec edit that does not change the value bumps the generation but restarts nothing.
    fx.editSpec("resume-redis", s -> s.setHistoryLimit(10));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                fx.get("resume-redis").getStatus().getObservedGeneration()
                    == cm.getMetadata().getGeneration() + 1);
    assertThat(fx.get("resume-redis").getStatus().getPhase()).isEqualTo(Phase.Suspended);
    assertThat(fx.templateAnnotations("resume"))
        .containsEntry(ApiConstants.RESTARTED_AT_ANNOTATION, restartedAt);
    assertThat(fx.replicaSets("resume")).hasSize(2);
  }

  @Test
  void quickEditsCoalesceIntoTheLastValue() {
    fx.secret("flip-env", Map.of("SUSPEND_REDIS", "false"));
    fx.deployment("flip", 1);
    fx.cacheMode("flip-redis", false, "flip-env", "flip");
    fx.awaitPhase("flip-redis", Phase.Active);
    int before = fx.replicaSets("flip").size();

    fx.editSpec("flip-redis", s -> s.setSuspend(true));
    fx.editSpec("flip-redis", s -> s.setSuspend(false));
    fx.editSpec("flip-redis", s -> s.setSuspend(true));

    await()
        .atMost(Duration.ofMinutes(2))
        .until(
            () -> {
              CacheMode cm = fx.get("flip-redis");
              return cm.getStatus().getObservedGeneration().equals(cm.getMetadata().getGeneration())
                  && cm.getStatus().getPhase() == Phase.Suspended;
            });
    assertThat(fx.secretValue("flip-env", "SUSPEND_REDIS")).isEqualTo("true");
    CacheMode cm = fx.get("flip-redis");
    assertThat(fx.templateAnnotations("flip"))
        .containsEntry(ApiConstants.FLAG_HASH_ANNOTATION, cm.getStatus().getAppliedValueHash());
    // The edits settle into one applied value: one restart, not three.
    assertThat(fx.replicaSets("flip").size() - before).isEqualTo(1);
    assertThat(cm.getStatus().getHistory())
        .filteredOn(h -> h.getTo() == Phase.RollingOut)
        .extracting(h -> h.getGeneration())
        .containsExactly(1L, cm.getMetadata().getGeneration());
  }

  @Test
  void selectorRestartsDeploymentsAndStatefulSetsOnce() {
    fx.secret("tier-env", Map.of("SUSPEND_REDIS", "false"));
    fx.deployment("tier-web", 1);
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName("tier-web")
        .edit(
            d -> {
              d.getMetadata().getLabels().put("tier", "cache-users");
              return d;
            });
    client
        .apps()
        .statefulSets()
        .inNamespace(ns)
        .resource(
            new StatefulSetBuilder()
                .withNewMetadata()
                .withName("tier-worker")
                .addToLabels("tier", "cache-users")
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withServiceName("tier-worker")
                .withNewSelector()
                .addToMatchLabels("app", "tier-worker")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "tier-worker")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("w")
                .withImage("example/worker:1")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
    await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () -> {
              var s =
                  client
                      .apps()
                      .statefulSets()
                      .inNamespace(ns)
                      .withName("tier-worker")
                      .get()
                      .getStatus();
              return s != null && s.getReadyReplicas() != null && s.getReadyReplicas() == 2;
            });
    fx.create(
        """
        apiVersion: cachemode.io/v1alpha1
        kind: CacheMode
        metadata: {name: tier-redis}
        spec:
          suspend: true
          target:
            kubernetes:
              secretRef: {name: tier-env}
              workloadSelector: {tier: cache-users}
        """);
    CacheMode cm = fx.awaitPhase("tier-redis", Phase.Suspended);
    assertThat(cm.getStatus().getWorkloads())
        .extracting(w -> w.getKind() + "/" + w.getName() + "/" + w.getResult())
        .containsExactlyInAnyOrder(
            "Deployment/tier-web/Complete", "StatefulSet/tier-worker/Complete");
    var sts = client.apps().statefulSets().inNamespace(ns).withName("tier-worker").get();
    assertThat(sts.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry(ApiConstants.FLAG_HASH_ANNOTATION, cm.getStatus().getAppliedValueHash());
    assertThat(sts.getStatus().getCurrentRevision()).isEqualTo(sts.getStatus().getUpdateRevision());
    assertThat(fx.replicaSets("tier-web")).hasSize(2);
  }

  @Test
  void dryRunPlansWithoutWriting() {
    fx.secret("plan-env", Map.of("SUSPEND_REDIS", DIGEST));
    fx.deployment("plan", 1);
    long generation =
        client
            .apps()
            .deployments()
            .inNamespace(ns)
            .withName("plan")
            .get()
            .getMetadata()
            .getGeneration();
    fx.create(
        """
        apiVersion: cachemode.io/v1alpha1
        kind: CacheMode
        metadata: {name: plan-redis}
        spec:
          suspend: true
          dryRun: true
          target:
            kubernetes:
              secretRef: {name: plan-env}
              workloads: [{kind: Deployment, name: plan}]
        """);
    CacheMode cm = fx.awaitPhase("plan-redis", Phase.Planned);
    assertThat(cm.getStatus().getPlannedChanges())
        .anySatisfy(p -> assertThat(p).contains("write true").contains("DigestLike"))
        .anySatisfy(p -> assertThat(p).isEqualTo("restart Deployment plan (rolling)"));
    assertThat(condition(cm, "SecretValueValid"))
        .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("DigestLikeValue"));
    assertThat(fx.secretValue("plan-env", "SUSPEND_REDIS")).isEqualTo(DIGEST);
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace(ns)
                .withName("plan")
                .get()
                .getMetadata()
                .getGeneration())
        .isEqualTo(generation);
    assertThat(
            client.secrets().inNamespace(ns).withName("plan-env").get().getMetadata().getLabels())
        .isNullOrEmpty();
  }

  @Test
  void missingReferencesAreReportedByName() {
    fx.cacheMode("no-secret", true, "does-not-exist", "nothing-here");
    await().atMost(Duration.ofSeconds(30)).until(() -> fx.get("no-secret").getStatus() != null);
    CacheMode cm = fx.get("no-secret");
    assertThat(cm.getStatus().getPhase()).isEqualTo(Phase.Pending);
    assertThat(condition(cm, "SpecValid"))
        .hasValueSatisfying(
            c -> {
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo("SecretNotFound");
              assertThat(c.getMessage())
                  .contains("Secret " + ns + "/does-not-exist not found")
                  .contains("Deployment " + ns + "/nothing-here not found");
            });

    fx.secret("kind-env", Map.of("SUSPEND_REDIS", "false"));
    client
        .apps()
        .statefulSets()
        .inNamespace(ns)
        .resource(Fixtures.statefulSetOf("db").build())
        .create();
    fx.cacheMode("wrong-kind", true, "kind-env", "db");
    await().atMost(Duration.ofSeconds(30)).until(() -> fx.get("wrong-kind").getStatus() != null);
    assertThat(condition(fx.get("wrong-kind"), "SpecValid"))
        .hasValueSatisfying(
            c -> {
              assertThat(c.getReason()).isEqualTo("WorkloadKindMismatch");
              assertThat(c.getMessage()).contains("db is a StatefulSet, not a Deployment");
            });
    assertThat(fx.secretValue("kind-env", "SUSPEND_REDIS")).isEqualTo("false");
  }

  @Test
  void secondCacheModeOnTheSameKeyIsRefusedWithoutFlapping() throws InterruptedException {
    fx.secret("shared-env", Map.of("SUSPEND_REDIS", "false"));
    fx.deployment("shared", 1);
    fx.cacheMode("first", true, "shared-env", "shared");
    fx.awaitPhase("first", Phase.Suspended);
    fx.cacheMode("second", false, "shared-env", "shared");
    await().atMost(Duration.ofSeconds(30)).until(() -> fx.get("second").getStatus() != null);
    CacheMode second = fx.get("second");
    assertThat(condition(second, "SpecValid"))
        .hasValueSatisfying(
            c -> {
              assertThat(c.getReason()).isEqualTo("Conflict");
              assertThat(c.getMessage()).contains("already managed by CacheMode first");
            });
    int historyBefore = fx.get("first").getStatus().getHistory().size();
    Thread.sleep(3000);
    assertThat(fx.secretValue("shared-env", "SUSPEND_REDIS")).isEqualTo("true");
    assertThat(fx.get("first").getStatus().getPhase()).isEqualTo(Phase.Suspended);
    assertThat(fx.get("first").getStatus().getHistory()).hasSize(historyBefore);
    assertThat(fx.replicaSets("shared")).hasSize(2);
  }
}
