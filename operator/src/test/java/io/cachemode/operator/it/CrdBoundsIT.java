package io.cachemode.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachemode.operator.api.ApiConstants;
import io.cachemode.operator.api.Bounds;
import io.cachemode.operator.testing.ControlPlaneExtension;
import io.cachemode.operator.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CRD's bounds as the real API server enforces them: the CRD with its CEL rules is accepted
 * (the API server refuses a CRD whose rules' estimated cost exceeds its budget), and oversized
 * specs are refused at admission with the API server's own message.
 */
@ExtendWith(ControlPlaneExtension.class)
class CrdBoundsIT {
  private final KubernetesClient client;
  private final String ns;

  CrdBoundsIT(KubernetesClient client, TestNamespace ns) {
    this.client = client;
    this.ns = ns.name();
  }

  @Test
  void theCrdWithItsCelRulesIsEstablished() {
    CustomResourceDefinition crd =
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName(ApiConstants.PLURAL + "." + ApiConstants.GROUP)
            .get();
    assertThat(crd.getStatus().getConditions())
        .filteredOn(c -> c.getType().equals("Established"))
        .singleElement()
        .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
    JSONSchemaProps spec =
        crd.getSpec()
            .getVersions()
            .get(0)
            .getSchema()
            .getOpenAPIV3Schema()
            .getProperties()
            .get("spec");
    JSONSchemaProps checks = spec.getProperties().get("healthChecks");
    assertThat(checks.getMaxItems()).isEqualTo(Bounds.HEALTH_CHECKS);
    assertThat(
            checks
                .getItems()
                .getSchema()
                .getProperties()
                .get("timeout")
                .getXKubernetesValidations())
        .extracting(ValidationRule::getRule)
        .containsExactly(Bounds.CHECK_TIMEOUT_RULE);
    assertThat(
            spec.getProperties()
                .get("rollout")
                .getProperties()
                .get("timeout")
                .getXKubernetesValidations())
        .extracting(ValidationRule::getRule)
        .containsExactly(Bounds.LONG_DURATION_RULE);
  }

  @Test
  void threeHundredHealthChecksAreRejectedAtAdmission() {
    assertThatThrownBy(() -> create("three-hundred", healthChecks(300)))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.healthChecks: Too many: 300: must have at most 10 items");
    assertThatThrownBy(() -> create("eleven", healthChecks(Bounds.HEALTH_CHECKS + 1)))
        .hasMessageContaining("must have at most 10 items");
    assertThat(create("ten", healthChecks(Bounds.HEALTH_CHECKS)).getMetadata().getName())
        .isEqualTo("ten");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "attempts: 11 | spec.healthChecks[0].attempts: Invalid value: 11: spec.healthChecks[0]"
            + ".attempts in body should be less than or equal to 10",
        "interval: 90s | spec.healthChecks[0].interval: Invalid value: \"90s\": must be at"
            + " most 1m",
        "timeout: 50ms | spec.healthChecks[0].timeout: Invalid value: \"50ms\": must be between"
            + " 100ms and 1m",
        "timeout: 1000000000000000h | spec.healthChecks[0].timeout: Too long: may not be",
      })
  void healthCheckRangesAreEnforced(String field, String message) {
    String spec =
        """
        healthChecks:
          - name: api
            url: http://app.ns.svc:8080/health
            %s
        """
            .formatted(field);
    assertThatThrownBy(() -> create("bad-check", spec)).hasMessageContaining(message);
  }

  @Test
  void stringsListsAndSelectorsAreBounded() {
    String longUrl = "http://app.ns.svc/" + "a".repeat(Bounds.URL);
    assertThatThrownBy(
            () -> create("long-url", "healthChecks: [{name: api, url: \"%s\"}]".formatted(longUrl)))
        .hasMessageContaining("spec.healthChecks[0].url: Too long: may not be")
        .hasMessageContaining("2048");

    String workloads =
        IntStream.range(0, Bounds.WORKLOADS + 1)
            .mapToObj(i -> "{kind: Deployment, name: app-" + i + "}")
            .collect(Collectors.joining(", ", "[", "]"));
    assertThatThrownBy(() -> create("many-workloads", "", workloads, "{}"))
        .hasMessageContaining(
            "spec.target.kubernetes.workloads: Too many: 51: must have at most 50");

    String labels =
        IntStream.range(0, Bounds.SELECTOR_LABELS + 1)
            .mapToObj(i -> "l" + i + ": v")
            .collect(Collectors.joining(", ", "{", "}"));
    assertThatThrownBy(() -> create("many-labels", "", "[]", labels))
        .hasMessageContaining(
            "spec.target.kubernetes.workloadSelector: Too many: 17: must have at most 16");
    assertThatThrownBy(() -> create("long-label", "", "[]", "{tier: " + "v".repeat(64) + "}"))
        .hasMessageContaining(
            "label keys are at most 317 characters (prefix/name) and values at most 63");

    assertThatThrownBy(
            () ->
                create(
                    "long-query",
                    "requestMetrics: {prometheus: {url: \"http://p.svc:9090\", query: \"%s\"}}"
                        .formatted("x".repeat(Bounds.QUERY + 1))))
        .hasMessageContaining("spec.requestMetrics.prometheus.query: Too long");
    assertThatThrownBy(() -> create("long-rollout", "rollout: {timeout: 25h}"))
        .hasMessageContaining(
            "spec.rollout.timeout: Invalid value: \"25h\": must be between 1s and 24h");
  }

  private static String healthChecks(int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> "  - {name: c" + i + ", url: \"http://app.ns.svc:8080/health\"}")
        .collect(Collectors.joining("\n", "healthChecks:\n", "\n"));
  }

  private GenericKubernetesResource create(String name, String specExtra) {
    return create(name, specExtra, "[{kind: Deployment, name: app}]", "{}");
  }

  /** Sent untyped and as a dry run: only admission is under test, nothing is stored. */
  private GenericKubernetesResource create(
      String name, String specExtra, String workloads, String selector) {
    String yaml =
        """
        apiVersion: cachemode.io/v1alpha1
        kind: CacheMode
        metadata: {name: %s}
        spec:
          suspend: true
          target:
            kubernetes:
              secretRef: {name: app-env}
              workloads: %s
              workloadSelector: %s
        %s
        """
            .formatted(name, workloads, selector, specExtra.indent(2));
    return client
        .genericKubernetesResources(
            ApiConstants.GROUP + "/" + ApiConstants.VERSION, ApiConstants.KIND)
        .inNamespace(ns)
        .resource(Serialization.unmarshal(yaml, GenericKubernetesResource.class))
        .dryRun()
        .create();
  }
}
