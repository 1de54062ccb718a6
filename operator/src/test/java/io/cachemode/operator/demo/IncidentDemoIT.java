package io.cachemode.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.cachemode.operator.it.RunningOperator;
import io.cachemode.operator.testing.ControlPlaneExtension;
import io.cachemode.operator.testing.LocalControlPlane;
import io.cachemode.operator.testing.RedisServerProcess;
import io.cachemode.operator.testing.StandinProcess;
import io.cachemode.operator.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What {@code make demo} shows, as a test: the operator on the two apps of {@code examples/}, each
 * played by the stand-in app with its own redis-server. Act one (atom-saas) must end proven, act
 * two (atom-legacy, whose code reads another variable) must end refused.
 *
 * <p>Written to the meaning of "done" agreed for the reconcile core: phase {@code Ineffective} for
 * "applied, but the measurements say it did not take effect", a {@code Verified} condition, and log
 * checks ({@code spec.logChecks}, read through {@code pods/log}, which kwok serves from the
 * stand-in's files).
 */
@ExtendWith(ControlPlaneExtension.class)
class IncidentDemoIT {
  private static final Set<String> END_PHASES =
      Set.of("Suspended", "Active", "Ineffective", "Failed", "RolledBack");

  @RegisterExtension final RedisServerProcess redis = RedisServerProcess.withoutPassword();

  @Test
  void actOneTheRepairedFlagIsProvenToHaveTakenEffect(KubernetesClient client, TestNamespace ns)
      throws Exception {
    play(
        client,
        ns.name(),
        "atom-saas",
        "SUSPEND_REDIS",
        "atom-saas-redis",
        status -> {
          assertThat(status.path("phase").asText()).as(describe(status)).isEqualTo("Suspended");
          assertThat(condition(status, "Verified")).as(describe(status)).isEqualTo("True");
          assertThat(condition(status, "Ready")).as(describe(status)).isEqualTo("True");
          assertThat(status.at("/requests/before/perMinute").asDouble(-1))
              .as("GETs per minute before the change")
              .isGreaterThanOrEqualTo(100);
          assertThat(status.at("/requests/after/perMinute").asDouble(-1))
              .as("GETs per minute after the change")
              .isZero();
          assertThat(results(status, "healthChecks")).as("health checks").containsOnly("Passed");
          assertThat(results(status, "logChecks"))
              .as("log checks")
              .isNotEmpty()
              .containsOnly("Passed");
          assertThat(secretValue(client, ns.name(), "atom-saas-env", "SUSPEND_REDIS"))
              .isEqualTo("true");
          assertThat(secretValue(client, ns.name(), "atom-saas-env", "DATABASE_URL"))
              .startsWith("postgres://");
        });
  }

  @Test
  void actTwoAnAppWhoseCodeIgnoresTheFlagIsRefused(KubernetesClient client, TestNamespace ns)
      throws Exception {
    play(
        client,
        ns.name(),
        "atom-legacy",
        "REDIS_DISABLED",
        "atom-legacy-redis",
        status -> {
          assertThat(status.path("phase").asText()).as(describe(status)).isEqualTo("Ineffective");
          assertThat(condition(status, "Ready")).as(describe(status)).isEqualTo("False");
          assertThat(condition(status, "Verified")).as(describe(status)).isEqualTo("False");
          assertThat(status.at("/requests/after/perMinute").asDouble(-1))
              .as("GETs per minute after the restart")
              .isGreaterThanOrEqualTo(100);
          assertThat(
                  client
                      .apps()
                      .replicaSets()
                      .inNamespace(ns.name())
                      .withLabel("app", "atom-legacy")
                      .list()
                      .getItems())
              .as("restarted exactly once")
              .hasSize(2);
          assertThat(warningReasons(client, ns.name(), "atom-legacy-redis")).isNotEmpty();
          assertThat(kubectlWaitForReady(ns.name(), "atom-legacy-redis"))
              .as("kubectl wait --for=condition=Ready")
              .contains("timed out");
        });
  }

  /** Checks of an act's end, run while everything of the act still exists. */
  private interface EndCheck {
    void check(JsonNode status) throws Exception;
  }

  /**
   * Runs one act: the app from examples/, its stand-in, the operator, then the CacheMode; checks
   * its status once it reached an end phase, then deletes it.
   */
  private void play(
      KubernetesClient client,
      String ns,
      String app,
      String variable,
      String cacheMode,
      EndCheck end)
      throws Exception {
    try (StandinProcess standin = StandinProcess.start(ns, app, variable, redis.url());
        RunningOperator operator = RunningOperator.watching(client, ns)) {
      DemoExamples.applyApp(client, ns, app, redis.port(), standin.healthUrl());
      standin.awaitHealthContaining("All services OK (Redis: connected)");
      DemoExamples.apply(
          client,
          ns,
          DemoExamples.render(app, "03-cachemode.yaml", redis.port(), standin.healthUrl()));
      try {
        end.check(
            await(cacheMode + " reaching an end phase")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .until(
                    () -> status(client, ns, cacheMode),
                    s -> END_PHASES.contains(s.path("phase").asText())));
      } finally {
        cacheModes(client, ns).withName(cacheMode).delete();
      }
    }
  }

  private static NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      cacheModes(KubernetesClient client, String ns) {
    return client.genericKubernetesResources("cachemode.io/v1alpha1", "CacheMode").inNamespace(ns);
  }

  /** The status as the API server holds it (untyped: the names above, not this build's model). */
  private static JsonNode status(KubernetesClient client, String ns, String name) {
    GenericKubernetesResource r = cacheModes(client, ns).withName(name).get();
    Object status = r == null ? null : r.getAdditionalProperties().get("status");
    return client
        .getKubernetesSerialization()
        .convertValue(status == null ? Map.of() : status, JsonNode.class);
  }

  private static String condition(JsonNode status, String type) {
    return StreamSupport.stream(status.path("conditions").spliterator(), false)
        .filter(c -> type.equals(c.path("type").asText()))
        .map(c -> c.path("status").asText())
        .findFirst()
        .orElse("(no " + type + " condition)");
  }

  private static List<String> results(JsonNode status, String list) {
    return StreamSupport.stream(status.path(list).spliterator(), false)
        .map(c -> c.path("result").asText())
        .toList();
  }

  private static String describe(JsonNode status) {
    return "status " + status.toPrettyString();
  }

  private static List<String> warningReasons(KubernetesClient client, String ns, String name) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> "Warning".equals(e.getType()))
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .filter(e -> "CacheMode".equals(e.getInvolvedObject().getKind()))
        .map(e -> e.getReason())
        .toList();
  }

  private static String secretValue(KubernetesClient client, String ns, String name, String key) {
    String data = client.secrets().inNamespace(ns).withName(name).get().getData().get(key);
    return new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
  }

  /** What a platform engineer would run; returns its exit code and output. */
  private static String kubectlWaitForReady(String ns, String name) throws Exception {
    LocalControlPlane plane = LocalControlPlane.get();
    Process p =
        new ProcessBuilder(
                plane.binDir().resolve("kubectl").toString(),
                "--kubeconfig",
                plane.kubeconfigPath().toString(),
                "wait",
                "--for=condition=Ready",
                "--timeout=5s",
                "-n",
                ns,
                "cachemode/" + name)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return "exit " + p.waitFor() + ": " + out;
  }
}
