package io.cachemode.operator.it;

import static io.cachemode.operator.it.Fixtures.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.Conditions;
import io.cachemode.operator.api.Phase;
import io.cachemode.operator.api.Reasons;
import io.cachemode.operator.api.RequestVerdict;
import io.cachemode.operator.testing.LocalControlPlane;
import io.cachemode.operator.testing.RedisGetLoad;
import io.cachemode.operator.testing.RedisServerProcess;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * "Proof, not expectation" on the real control plane with a real redis-server: the operator calls a
 * change done only with evidence, and says so loudly when the evidence contradicts it.
 */
class ProofIT extends OperatorInNamespace {
  @RegisterExtension final RedisServerProcess redis = RedisServerProcess.withoutPassword();

  private static final String METER =
      """
        requestMetrics:
          redis: {addressSecretRef: {name: %s, key: url}}
          window: 5s
          interval: 4s
          watchFor: %s
          pricePer100kRequests: "0.20"
      """;

  private CacheMode suspendWithMeter(
      String name, String secret, String deployment, String watchFor) {
    return fx.create(
        """
        apiVersion: cachemode.io/v1alpha1
        kind: CacheMode
        metadata: {name: %s}
        spec:
          suspend: true
          target:
            kubernetes:
              secretRef: {name: %s}
              workloads: [{kind: Deployment, name: %s}]
          rollout: {settle: 0s}
        %s"""
            .formatted(name, secret, deployment, METER.formatted(name + "-conn", watchFor)));
  }

  @Test
  void theIncidentGetsThatContinueAfterTheFlagIsWrittenAreNeverReady() throws Exception {
    fx.secret("atom-env", Map.of("SUSPEND_REDIS", Fixtures.DIGEST));
    fx.secret("atom-redis-conn", Map.of("url", redis.url()));
    fx.deployment("atom", 1);
    // The app of the incident: it reads another variable, so its GETs never stop.
    try (RedisGetLoad load = RedisGetLoad.start(redis, () -> true)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> load.gets() > 200);
      suspendWithMeter("atom-redis", "atom-env", "atom", "1m");
      CacheMode cm = fx.awaitPhase("atom-redis", Phase.Ineffective);

      assertThat(fx.secretValue("atom-env", "SUSPEND_REDIS"))
          .as("the value was applied")
          .isEqualTo("true");
      assertThat(fx.replicaSets("atom")).as("restarted once, not rolled back").hasSize(2);
      assertThat(condition(cm, Conditions.READY))
          .hasValueSatisfying(
              c -> {
                assertThat(c.getStatus()).isEqualTo("False");
                assertThat(c.getReason()).isEqualTo(Reasons.INEFFECTIVE);
                assertThat(c.getMessage()).doesNotContain("passed verification");
              });
      assertThat(condition(cm, Conditions.VERIFIED))
          .hasValueSatisfying(
              c -> {
                assertThat(c.getStatus()).isEqualTo("False");
                assertThat(c.getReason()).isEqualTo(Reasons.REQUESTS_NOT_REDUCED);
              });
      var requests = cm.getStatus().getRequests();
      assertThat(requests.getVerdict()).isEqualTo(RequestVerdict.NotReduced);
      assertThat(requests.getBefore().getPerDay()).isPositive();
      assertThat(requests.getCost().getAfterPerMonth()).isNotEqualTo("0.00");

      Process wait =
          kubectl("wait", "--for=condition=Ready", "--timeout=5s", "cachemode/atom-redis");
      assertThat(wait.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(wait.exitValue()).as("kubectl wait --for=condition=Ready times out").isNotZero();
      assertThat(new String(wait.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
          .contains("timed out");

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(fx.events("atom-redis"))
                      .filteredOn(e -> "Warning".equals(e.getType()))
                      .extracting(Event::getReason)
                      .contains("Ineffective", "RequestsNotReduced"));
      assertThat(
              operator
                  .registry
                  .get("cachemode.ineffective")
                  .tag("name", "atom-redis")
                  .gauge()
                  .value())
          .as("the alert metric")
          .isEqualTo(1.0);
      assertThat(operator.registry.scrape()).contains("cachemode_ineffective{name=\"atom-redis\"");
    }
  }

  @Test
  void getsThatFallVerifyTheChangeAndGetsThatReturnWhileWatchingUnverifyIt() throws Exception {
    fx.secret("shop-env", Map.of("SUSPEND_REDIS", "false"));
    fx.secret("shop-redis-conn", Map.of("url", redis.url()));
    fx.deployment("shop", 1);
    AtomicBoolean suspended = fx.appReadsSuspend("shop-env");
    AtomicBoolean ignoresFlag = new AtomicBoolean(false);
    try (RedisGetLoad load =
        RedisGetLoad.start(redis, () -> ignoresFlag.get() || !suspended.get())) {
      await().atMost(Duration.ofSeconds(10)).until(() -> load.gets() > 200);
      Thread.sleep(2000); // redis' uptime must grow for its since-start average to be a rate
      suspendWithMeter("shop-redis", "shop-env", "shop", "2m");
      CacheMode cm = fx.awaitPhase("shop-redis", Phase.Suspended);
      assertThat(condition(cm, Conditions.VERIFIED))
          .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
      assertThat(condition(cm, Conditions.READY))
          .hasValueSatisfying(
              c -> {
                assertThat(c.getStatus()).isEqualTo("True");
                assertThat(c.getMessage()).contains("passed verification");
              });
      assertThat(cm.getStatus().getRequests().getVerdict()).isEqualTo(RequestVerdict.Reduced);
      assertThat(cm.getStatus().getRequests().getCost().getAfterPerMonth()).isEqualTo("0.00");

      ignoresFlag.set(true); // a later deploy of the app stops honouring the flag
      cm = fx.awaitPhase("shop-redis", Phase.Ineffective);
      assertThat(condition(cm, Conditions.VERIFIED))
          .hasValueSatisfying(
              c -> {
                assertThat(c.getStatus()).isEqualTo("False");
                assertThat(c.getReason()).isEqualTo(Reasons.REQUESTS_RETURNED);
              });
      assertThat(cm.getStatus().getRequests().getSamples()).isNotEmpty();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(fx.events("shop-redis"))
                      .extracting(Event::getReason)
                      .contains(Reasons.REQUESTS_RETURNED));
    }
  }

  @Test
  void anUnreachableMeterIsUnknownNeverReadyThenPastItsDeadline() {
    fx.secret("dark-env", Map.of("SUSPEND_REDIS", "false"));
    // Port 1 on loopback: nothing listens, so the connection is refused.
    fx.secret("dark-conn", Map.of("url", "redis://127.0.0.1:1"));
    fx.deployment("dark", 1);
    fx.create(
        """
        apiVersion: cachemode.io/v1alpha1
        kind: CacheMode
        metadata: {name: dark-redis}
        spec:
          suspend: true
          target:
            kubernetes:
              secretRef: {name: dark-env}
              workloads: [{kind: Deployment, name: dark}]
          rollout: {settle: 0s}
          requestMetrics:
            redis: {addressSecretRef: {name: dark-conn, key: url}}
            window: 2s
          verification: {deadline: 5s}
        """);
    CacheMode cm = fx.awaitCondition("dark-redis", Conditions.VERIFIED, Reasons.INCONCLUSIVE);
    assertThat(cm.getStatus().getPhase()).isEqualTo(Phase.Verifying);
    assertThat(condition(cm, Conditions.READY))
        .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("False"));
    cm = fx.awaitCondition("dark-redis", Conditions.VERIFIED, Reasons.INCONCLUSIVE_AFTER_DEADLINE);
    assertThat(condition(cm, Conditions.READY))
        .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("False"));
    assertThat(cm.getStatus().getRequests().getMessage())
        .contains("connection")
        .doesNotContain("redis://");
  }

  @Test
  void withNothingToVerifyReadySaysAppliedUnverified() {
    fx.secret("bare-env", Map.of("SUSPEND_REDIS", "false"));
    fx.deployment("bare", 1);
    fx.cacheMode("bare-redis", true, "bare-env", "bare");
    CacheMode cm = fx.awaitPhase("bare-redis", Phase.Suspended);
    assertThat(condition(cm, Conditions.READY))
        .hasValueSatisfying(
            c -> {
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getReason()).isEqualTo(Reasons.APPLIED_UNVERIFIED);
              assertThat(c.getMessage())
                  .contains("nothing was verified")
                  .doesNotContain("passed verification");
            });
    assertThat(condition(cm, Conditions.VERIFIED))
        .hasValueSatisfying(
            c -> {
              assertThat(c.getStatus()).isEqualTo("Unknown");
              assertThat(c.getReason()).isEqualTo(Reasons.NOT_CONFIGURED);
            });
  }

  @Test
  void anEditOfARolledBackCacheModeIsAppliedDespiteATransientApiError() throws Exception {
    fx.secret("edit-env", Map.of("SUSPEND_REDIS", "false"));
    fx.deployment("edit", 1);
    AtomicBoolean suspended = fx.appReadsSuspend("edit-env");
    HttpServer app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    app.createContext(
        "/health",
        ex -> {
          byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(suspended.get() ? 503 : 200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    app.createContext(
        "/ready",
        ex -> {
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    app.start();
    try {
      int port = app.getAddress().getPort();
      fx.create(
          """
          apiVersion: cachemode.io/v1alpha1
          kind: CacheMode
          metadata: {name: edit-redis}
          spec:
            suspend: true
            target:
              kubernetes:
                secretRef: {name: edit-env}
                workloads: [{kind: Deployment, name: edit}]
            rollout: {settle: 0s}
            healthChecks: [{name: api, url: "http://127.0.0.1:%d/health", attempts: 1}]
          """
              .formatted(port));
      fx.awaitPhase("edit-redis", Phase.RolledBack);

      blockSecretWrites("edit-env", true);
      fx.editSpec(
          "edit-redis",
          s -> s.getHealthChecks().get(0).setUrl("http://127.0.0.1:" + port + "/ready"));
      fx.awaitCondition("edit-redis", Conditions.READY, Reasons.RECONCILE_ERROR);
      blockSecretWrites("edit-env", false);

      CacheMode cm = fx.awaitPhase("edit-redis", Phase.Suspended);
      assertThat(fx.secretValue("edit-env", "SUSPEND_REDIS")).isEqualTo("true");
      assertThat(cm.getStatus().getTransition().getGeneration())
          .isEqualTo(cm.getMetadata().getGeneration());
      assertThat(condition(cm, Conditions.VERIFIED))
          .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
    } finally {
      app.stop(0);
    }
  }

  /**
   * A transient API error on demand: a ValidatingAdmissionPolicy refuses every update of the Secret
   * while its parameter ConfigMap says so.
   */
  private void blockSecretWrites(String secret, boolean block) {
    String policy = "proofit-block-" + ns;
    if (client.configMaps().inNamespace(ns).withName("block-writes").get() == null) {
      client
          .resource(
              Serialization.unmarshal(
                  """
                  apiVersion: admissionregistration.k8s.io/v1
                  kind: ValidatingAdmissionPolicy
                  metadata: {name: %1$s}
                  spec:
                    failurePolicy: Fail
                    paramKind: {apiVersion: v1, kind: ConfigMap}
                    matchConstraints:
                      resourceRules:
                        - {apiGroups: [""], apiVersions: [v1], operations: [UPDATE], resources: [secrets]}
                    validations:
                      - expression: "params.data.block != 'true' || object.metadata.name != '%2$s'"
                        message: writes to this Secret are blocked by the test
                  """
                      .formatted(policy, secret),
                  io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy
                      .class))
          .serverSideApply();
      client
          .resource(
              Serialization.unmarshal(
                  """
                  apiVersion: admissionregistration.k8s.io/v1
                  kind: ValidatingAdmissionPolicyBinding
                  metadata: {name: %1$s}
                  spec:
                    policyName: %1$s
                    validationActions: [Deny]
                    paramRef: {name: block-writes, namespace: %2$s, parameterNotFoundAction: Allow}
                    matchResources:
                      namespaceSelector:
                        matchLabels: {kubernetes.io/metadata.name: %2$s}
                  """
                      .formatted(policy, ns),
                  io.fabric8.kubernetes.api.model.admissionregistration.v1
                      .ValidatingAdmissionPolicyBinding.class))
          .serverSideApply();
    }
    client
        .configMaps()
        .inNamespace(ns)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("block-writes")
                .endMetadata()
                .withData(Map.of("block", String.valueOf(block)))
                .build())
        .serverSideApply();
    if (block) {
      // Policies take effect after the API server's informer sees them: wait until a write fails.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                try {
                  client
                      .secrets()
                      .inNamespace(ns)
                      .withName(secret)
                      .edit(
                          s -> {
                            s.getMetadata()
                                .setAnnotations(Map.of("probe", String.valueOf(System.nanoTime())));
                            return s;
                          });
                  return false;
                } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                  return e.getMessage().contains("blocked by the test");
                }
              });
    }
  }

  private Process kubectl(String... args) throws IOException {
    LocalControlPlane plane = LocalControlPlane.get();
    List<String> command = new java.util.ArrayList<>();
    command.add(plane.binDir().resolve("kubectl").toString());
    command.add("--kubeconfig=" + plane.kubeconfigPath());
    command.add("-n");
    command.add(ns);
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }
}
