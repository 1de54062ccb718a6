package io.cachemode.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cachemode.operator.api.ApiConstants;
import io.cachemode.operator.testing.ControlPlaneExtension;
import io.cachemode.operator.testing.LocalControlPlane;
import io.cachemode.operator.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchResourcesBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chart's admission policy on the real API server: rendered by helm, applied with its binding
 * narrowed to this test's namespace (so no other test's Secrets are judged by it), exercised as a
 * user and as the operator's ServiceAccount (impersonated).
 */
@ExtendWith(ControlPlaneExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdmissionPolicyIT {
  private static final String SERVICE_ACCOUNT = "vap-test-operator";
  private static final String OWNER = "shop-redis";
  private static final String KEY = "SUSPEND_REDIS";

  private KubernetesClient admin;
  private String ns;
  private final List<HasMetadata> applied = new ArrayList<>();

  @BeforeAll
  void applyPolicy(KubernetesClient client, TestNamespace namespace) throws Exception {
    admin = client;
    ns = namespace.name();
    String rendered =
        helm(
            "template",
            "vap-test",
            LocalControlPlane.get().repoRoot().resolve("charts/cachemode-operator").toString(),
            "--namespace",
            ns,
            "--set",
            "fullnameOverride=" + SERVICE_ACCOUNT,
            "--show-only",
            "templates/admission-policy.yaml");
    for (HasMetadata o :
        admin.load(new ByteArrayInputStream(rendered.getBytes(StandardCharsets.UTF_8))).items()) {
      if (o instanceof ValidatingAdmissionPolicyBinding binding) {
        binding
            .getSpec()
            .setMatchResources(
                new MatchResourcesBuilder()
                    .withNamespaceSelector(
                        new LabelSelectorBuilder()
                            .withMatchLabels(Map.of("kubernetes.io/metadata.name", ns))
                            .build())
                    .build());
      }
      applied.add(admin.resource(o).serverSideApply());
    }
    admin
        .serviceAccounts()
        .inNamespace(ns)
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(SERVICE_ACCOUNT)
                .endMetadata()
                .build())
        .create();
    admin
        .rbac()
        .roles()
        .inNamespace(ns)
        .resource(
            new RoleBuilder()
                .withNewMetadata()
                .withName("secrets")
                .endMetadata()
                .addNewRule()
                .withApiGroups("")
                .withResources("secrets")
                .withVerbs("get", "update", "patch")
                .endRule()
                .build())
        .create();
    admin
        .rbac()
        .roleBindings()
        .inNamespace(ns)
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("secrets")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", "secrets")
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName(SERVICE_ACCOUNT)
                .withNamespace(ns)
                .endSubject()
                .build())
        .create();

    // A policy takes effect a moment after it is created: wait until it refuses a bad value.
    admin.secrets().inNamespace(ns).resource(managed("probe", "false")).create();
    await("policy active")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThatThrownBy(() -> update(admin, managed("probe", "fa61a13817d73a23")))
                    .isInstanceOf(KubernetesClientException.class));
  }

  @AfterAll
  void removePolicy() {
    applied.forEach(o -> admin.resource(o).delete());
  }

  @Test
  void removingTheLabelAndWritingADigestInOneUpdateIsRefusedNamingTheCacheMode() {
    admin.secrets().inNamespace(ns).resource(managed("one-update", "false")).create();
    Secret unlabelled = withoutLabel(managed("one-update", "fa61a13817d73a23"));
    assertThatThrownBy(() -> update(admin, unlabelled))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("Secret key SUSPEND_REDIS is managed by CacheMode " + OWNER);
    // Even the operator, which may remove the label, cannot write a non-canonical value while doing
    // so: the key is still judged by the old object's label.
    try (KubernetesClient operator = impersonatingTheOperator()) {
      assertThatThrownBy(
              () -> update(operator, withoutLabel(managed("one-update", "fa61a13817d73a23"))))
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining(
              "Secret key SUSPEND_REDIS is managed by CacheMode " + OWNER + " (label")
          .hasMessageContaining("only accepts exactly \"true\" or \"false\"");
    }
    assertThat(value("one-update")).isEqualTo("false");
    assertThat(
            admin.secrets().inNamespace(ns).withName("one-update").get().getMetadata().getLabels())
        .containsEntry(ApiConstants.MANAGED_KEY_LABEL, KEY);
  }

  @Test
  void removingOrChangingTheLabelIsRefusedToUsersAndAllowedToTheOperator() throws Exception {
    admin.secrets().inNamespace(ns).resource(managed("relabel", "true")).create();
    assertThatThrownBy(() -> update(admin, withoutLabel(managed("relabel", "true"))))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining(
            "Secret key SUSPEND_REDIS is managed by CacheMode "
                + OWNER
                + ": only the operator removes or changes the cachemode.io/managed-key label");
    Secret otherKey = managed("relabel", "true");
    otherKey.getMetadata().getLabels().put(ApiConstants.MANAGED_KEY_LABEL, "OTHER_KEY");
    assertThatThrownBy(() -> update(admin, otherKey))
        .hasMessageContaining("only the operator removes or changes");

    try (KubernetesClient operator = impersonatingTheOperator()) {
      update(operator, withoutLabel(managed("relabel", "true")));
    }
    Secret after = admin.secrets().inNamespace(ns).withName("relabel").get();
    assertThat(after.getMetadata().getLabels()).doesNotContainKey(ApiConstants.MANAGED_KEY_LABEL);
    // Once unmanaged, the key is anyone's again.
    update(admin, withoutLabel(managed("relabel", "fa61a13817d73a23")));
    assertThat(value("relabel")).isEqualTo("fa61a13817d73a23");
  }

  @Test
  void canonicalWritesByUsersStillPass() {
    admin.secrets().inNamespace(ns).resource(managed("canonical", "false")).create();
    update(admin, managed("canonical", "true"));
    assertThat(value("canonical")).isEqualTo("true");
  }

  private static Secret managed(String name, String value) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels(ApiConstants.MANAGED_KEY_LABEL, KEY)
        .addToAnnotations(ApiConstants.OWNER_ANNOTATION, OWNER)
        .endMetadata()
        .withStringData(Map.of(KEY, value))
        .build();
  }

  private static Secret withoutLabel(Secret s) {
    s.getMetadata().setLabels(Map.of());
    return s;
  }

  private void update(KubernetesClient as, Secret s) {
    as.secrets().inNamespace(ns).resource(s).update();
  }

  private String value(String name) {
    Secret s = admin.secrets().inNamespace(ns).withName(name).get();
    return new String(Base64.getDecoder().decode(s.getData().get(KEY)), StandardCharsets.UTF_8);
  }

  private KubernetesClient impersonatingTheOperator() {
    Config config =
        new ConfigBuilder(admin.getConfiguration())
            .withImpersonateUsername("system:serviceaccount:" + ns + ":" + SERVICE_ACCOUNT)
            .withImpersonateGroups(
                "system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated")
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  private static String helm(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(LocalControlPlane.get().binDir().resolve("helm").toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("helm %s:%n%s", String.join(" ", args), out).isZero();
    return out;
  }
}
