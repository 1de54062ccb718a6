package io.cachemode.operator.incluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cachemode.operator.api.ApiConstants;
import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.Phase;
import io.cachemode.operator.it.Fixtures;
import io.cachemode.operator.testing.ControlPlaneExtension;
import io.cachemode.operator.testing.OperatorInstall;
import io.cachemode.operator.testing.OperatorProcess;
import io.cachemode.operator.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator as it runs in production: the chart installed with helm, the packaged jar as
 * separate processes authenticating with the chart's ServiceAccount token, leader election between
 * two of them, and the chart's admission policy enforced by the API server.
 */
@ExtendWith(ControlPlaneExtension.class)
class InClusterIT {
  private static final String RELEASE = "cachemode";
  private static final String SERVICE_ACCOUNT = "cachemode-operator";

  private static KubernetesClient admin;
  private static String operatorNs;
  private static String appNs;
  private static String otherNs;
  private static OperatorInstall install;

  @BeforeAll
  static void installChart(KubernetesClient client, TestNamespace ns) throws Exception {
    admin = client;
    operatorNs = ns.name();
    appNs = ns.name() + "-app";
    otherNs = ns.name() + "-other";
    for (String n : List.of(appNs, otherNs)) {
      admin
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(n).endMetadata().build())
          .create();
    }
    install = OperatorInstall.install(admin, operatorNs, RELEASE, SERVICE_ACCOUNT, List.of(appNs));
  }

  @AfterAll
  static void uninstall() throws Exception {
    if (install != null) {
      install.close();
    }
    if (admin != null) {
      admin.namespaces().withName(appNs).delete();
      admin.namespaces().withName(otherNs).delete();
    }
  }

  @Test
  void admissionPolicyRefusesNonBooleanWritesToManagedKeys() {
    var secrets = admin.secrets().inNamespace(appNs);
    secrets.resource(managedSecret("guarded", "false")).create();

    await("policy active")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThatThrownBy(
                        () ->
                            secrets.resource(managedSecret("guarded", "fa61a13817d73a23")).update())
                    .isInstanceOf(KubernetesClientException.class)
                    .hasMessageContaining("SUSPEND_REDIS")
                    .hasMessageContaining("spec.suspend"));
    assertThatThrownBy(() -> secrets.resource(managedSecret("guarded", "TRUE")).update())
        .isInstanceOf(KubernetesClientException.class);

    secrets.resource(managedSecret("guarded", "true")).update();
    assertThat(value(secrets.withName("guarded").get())).isEqualTo("true");
    secrets.resource(managedSecret("guarded", "false")).update();
    assertThat(value(secrets.withName("guarded").get())).isEqualTo("false");

    Secret unmanaged =
        new SecretBuilder()
            .withNewMetadata()
            .withName("free")
            .endMetadata()
            .withStringData(Map.of("SUSPEND_REDIS", "fa61a13817d73a23"))
            .build();
    secrets.resource(unmanaged).create();
    assertThat(value(secrets.withName("free").get())).isEqualTo("fa61a13817d73a23");
  }

  @Test
  void packagedOperatorWithTheChartsServiceAccountFailsOverWithExactlyOneRestart()
      throws Exception {
    Path kubeconfig = install.kubeconfig();
    try (KubernetesClient asOperator =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
            .build()) {
      admin
          .secrets()
          .inNamespace(otherNs)
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("not-managed")
                  .endMetadata()
                  .withStringData(Map.of("k", "v"))
                  .build())
          .create();
      assertThatThrownBy(
              () -> asOperator.secrets().inNamespace(otherNs).withName("not-managed").get())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
      assertThatThrownBy(() -> asOperator.secrets().inAnyNamespace().list())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    }

    Fixtures app = new Fixtures(admin, appNs);
    OperatorProcess a = install.start("operator-a", Map.of());
    OperatorProcess b = install.start("operator-b", Map.of("LOG_FORMAT", "json"));
    a.httpPort();
    b.httpPort();
    String leader =
        await("a leader")
            .atMost(Duration.ofSeconds(60))
            .until(install::leaseHolder, h -> h != null);
    assertThat(leader).isIn("operator-a", "operator-b");
    OperatorProcess leaderProcess = leader.equals("operator-a") ? a : b;
    OperatorProcess standby = leader.equals("operator-a") ? b : a;
    assertThat(standby.get("/readyz").statusCode())
        .as("a standby is ready, so rolling updates of the chart proceed")
        .isEqualTo(200);
    assertThat(standby.get("/healthz").statusCode()).isEqualTo(200);

    admin
        .secrets()
        .inNamespace(appNs)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("atom-env")
                .endMetadata()
                .withStringData(
                    Map.of("SUSPEND_REDIS", "fa61a13817d73a23", "DATABASE_URL", "postgres://db"))
                .build())
        .create();
    app.deployment("atom", 3);
    admin
        .resource(
            Serialization.unmarshal(
                """
        apiVersion: cachemode.io/v1alpha1
        kind: CacheMode
        metadata: {name: atom-redis, namespace: %s}
        spec:
          suspend: true
          target:
            kubernetes:
              secretRef: {name: atom-env}
              workloads: [{kind: Deployment, name: atom}]
        """
                    .formatted(appNs),
                CacheMode.class))
        .create();

    await("the leader restarts the Deployment")
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> app.templateAnnotations("atom").containsKey(ApiConstants.FLAG_HASH_ANNOTATION));
    String restartedAt = app.templateAnnotations("atom").get(ApiConstants.RESTARTED_AT_ANNOTATION);
    leaderProcess.kill();

    await("the standby takes the Lease")
        .atMost(Duration.ofSeconds(90))
        .until(install::leaseHolder, standby.identity::equals);
    await("the standby finishes the transition")
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              CacheMode cm =
                  admin.resources(CacheMode.class).inNamespace(appNs).withName("atom-redis").get();
              return cm.getStatus() != null && cm.getStatus().getPhase() == Phase.Suspended;
            });
    assertThat(app.templateAnnotations("atom"))
        .containsEntry(ApiConstants.RESTARTED_AT_ANNOTATION, restartedAt);
    assertThat(
            admin
                .apps()
                .replicaSets()
                .inNamespace(appNs)
                .withLabel("app", "atom")
                .list()
                .getItems())
        .as("exactly one restart across the failover")
        .hasSize(2);
    assertThat(value(admin.secrets().inNamespace(appNs).withName("atom-env").get()))
        .isEqualTo("true");
    assertThat(standby.log()).doesNotContain("fa61a13817d73a23").doesNotContain("postgres://db");

    String metrics = standby.metrics();
    assertThat(metrics)
        .contains("cachemode_transitions_total{result=\"Suspended\"} 1.0")
        .contains("jvm_memory_used_bytes")
        .containsPattern("operator_sdk_\\w+");
    assertThat(b.log().lines().filter(l -> !l.isBlank()))
        .as("LOG_FORMAT=json gives one JSON object per line")
        .isNotEmpty()
        .allSatisfy(
            l -> assertThat(Serialization.jsonMapper().readTree(l).has("message")).isTrue());
  }

  private static Secret managedSecret(String name, String value) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels(ApiConstants.MANAGED_KEY_LABEL, "SUSPEND_REDIS")
        .endMetadata()
        .withStringData(Map.of("SUSPEND_REDIS", value))
        .build();
  }

  private static String value(Secret s) {
    return new String(
        Base64.getDecoder().decode(s.getData().get("SUSPEND_REDIS")), StandardCharsets.UTF_8);
  }
}
