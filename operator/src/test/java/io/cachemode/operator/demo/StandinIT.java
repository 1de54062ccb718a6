package io.cachemode.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachemode.operator.testing.ControlPlaneExtension;
import io.cachemode.operator.testing.RedisServerProcess;
import io.cachemode.operator.testing.StandinProcess;
import io.cachemode.operator.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/**
 * The demo's stand-in app against the real control plane and a real redis-server, without the
 * operator: its GETs follow what the pods read when they started, and each pod gets its log where
 * kwok serves it (a kwok {@code Logs} object naming the file; testenv/up.sh installs that
 * resource).
 */
@ExtendWith(ControlPlaneExtension.class)
class StandinIT {
  private static final Pattern GET_CALLS = Pattern.compile("cmdstat_get:calls=(\\d+)");

  @RegisterExtension final RedisServerProcess redis = RedisServerProcess.withoutPassword();

  @Test
  void podsThatStartWithTheFlagTrueStopTheGetsAndLogTheSuspension(
      KubernetesClient client, TestNamespace ns) throws Exception {
    DemoExamples.applyApp(client, ns.name(), "atom-saas", redis.port(), "unused");
    try (StandinProcess app =
        StandinProcess.start(ns.name(), "atom-saas", "SUSPEND_REDIS", redis.url())) {
      app.awaitHealthContaining("All services OK (Redis: connected)");
      assertThat(getsPerSecond()).as("two pods at 10 GET/s each").isBetween(12.0, 30.0);

      restartWithFlag(client, ns.name(), "atom-saas-env", "true");

      app.awaitHealthContaining("All services OK (including Redis service using local memory)");
      await("GETs stop; stand-in log:\n" + app.logTail())
          .atMost(Duration.ofSeconds(60))
          .until(() -> getsPerSecond() == 0);
      List<Pod> pods = currentPods(client, ns.name(), "atom-saas");
      assertThat(pods).hasSize(2);
      for (Pod pod : pods) {
        Path file = awaitLogsObject(client, pod);
        assertThat(file.getParent()).isEqualTo(app.podLogDir());
        assertThat(Files.readString(file))
            .contains("🚨 REDIS SUSPENDED: Distributed caching is disabled")
            .contains("Local memory mode engaged due to Redis suspension");
      }
    }
  }

  @Test
  void codeThatReadsAnotherVariableKeepsItsGetsAfterTheRestart(
      KubernetesClient client, TestNamespace ns) throws Exception {
    DemoExamples.applyApp(client, ns.name(), "atom-legacy", redis.port(), "unused");
    try (StandinProcess app =
        StandinProcess.start(ns.name(), "atom-legacy", "REDIS_DISABLED", redis.url())) {
      app.awaitHealthContaining("All services OK (Redis: connected)");

      restartWithFlag(client, ns.name(), "atom-legacy-env", "true");

      List<Pod> pods = currentPods(client, ns.name(), "atom-legacy");
      for (Pod pod : pods) {
        assertThat(Files.readString(awaitLogsObject(client, pod)))
            .contains("Redis cache connected")
            .doesNotContain("REDIS SUSPENDED");
      }
      assertThat(app.health()).startsWith("200").contains("All services OK (Redis: connected)");
      assertThat(getsPerSecond()).as("the restarted pods still use Redis").isBetween(12.0, 30.0);
    }
  }

  /** What the operator does, by hand: write the flag, restart, wait for the rollout. */
  private static void restartWithFlag(
      KubernetesClient client, String ns, String secret, String value) {
    client
        .secrets()
        .inNamespace(ns)
        .withName(secret)
        .edit(
            s -> {
              s.getData()
                  .put(
                      "SUSPEND_REDIS",
                      Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
              return s;
            });
    String deployment = secret.replace("-env", "");
    var d = client.apps().deployments().inNamespace(ns).withName(deployment);
    d.rolling().restart();
    await("rollout of " + deployment)
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                currentPods(client, ns, deployment).size() == 2
                    && allPodsCurrent(client, ns, deployment));
  }

  /** Pods of the Deployment's newest ReplicaSet (two ReplicaSets exist after the restart). */
  private static List<Pod> currentPods(KubernetesClient client, String ns, String deployment) {
    var sets = client.apps().replicaSets().inNamespace(ns).withLabel("app", deployment).list();
    String revision =
        client
            .apps()
            .deployments()
            .inNamespace(ns)
            .withName(deployment)
            .get()
            .getMetadata()
            .getAnnotations()
            .get("deployment.kubernetes.io/revision");
    return sets.getItems().stream()
        .filter(
            rs ->
                revision.equals(
                    rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision")))
        .findFirst()
        .map(
            rs ->
                client
                    .pods()
                    .inNamespace(ns)
                    .withLabel(
                        "pod-template-hash", rs.getMetadata().getLabels().get("pod-template-hash"))
                    .list()
                    .getItems()
                    .stream()
                    .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                    .toList())
        .orElse(List.of());
  }

  private static boolean allPodsCurrent(KubernetesClient client, String ns, String deployment) {
    return client.pods().inNamespace(ns).withLabel("app", deployment).list().getItems().stream()
            .map(p -> p.getMetadata().getLabels().get("pod-template-hash"))
            .distinct()
            .count()
        == 1;
  }

  /** Waits for the pod's Logs object, checks it is owned by the pod, and returns its file. */
  private static Path awaitLogsObject(KubernetesClient client, Pod pod) {
    var logs =
        client
            .genericKubernetesResources("kwok.x-k8s.io/v1alpha1", "Logs")
            .inNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName());
    GenericKubernetesResource found =
        await("Logs object of " + pod.getMetadata().getName())
            .atMost(Duration.ofSeconds(30))
            .until(logs::get, r -> r != null);
    List<OwnerReference> owners = found.getMetadata().getOwnerReferences();
    assertThat(owners)
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(pod.getMetadata().getUid()));
    @SuppressWarnings("unchecked")
    var spec = (Map<String, Object>) found.getAdditionalProperties().get("spec");
    @SuppressWarnings("unchecked")
    var entry = ((List<Map<String, Object>>) spec.get("logs")).get(0);
    assertThat(entry.get("containers")).isEqualTo(List.of("app"));
    return Path.of((String) entry.get("logsFile"));
  }

  /** GETs per second Redis counted over two seconds (INFO commandstats). */
  private double getsPerSecond() throws InterruptedException {
    long before = getCalls();
    Thread.sleep(2_000);
    return (getCalls() - before) / 2.0;
  }

  private long getCalls() {
    try (Jedis jedis = redis.client()) {
      Matcher m = GET_CALLS.matcher(jedis.info("commandstats"));
      return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
  }
}
