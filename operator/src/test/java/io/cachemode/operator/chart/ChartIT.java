package io.cachemode.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.cachemode.operator.egress.OutboundPolicy;
import io.cachemode.operator.egress.Purpose;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicySpec;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Validation;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Variable;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders the Helm chart with the real {@code helm} binary (built by testenv/build.sh) and asserts
 * on the parsed objects: RBAC scope and least privilege, the pod's security settings, the admission
 * policy, the values schema and the CRD copy.
 */
class ChartIT {
  private static final String RELEASE = "cm";
  private static final String NAMESPACE = "cachemode-system";
  private static final String FULLNAME = "cm-cachemode-operator";
  private static final String MANAGED_KEY_LABEL = "cachemode.io/managed-key";
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private static Path repoRoot;
  private static Path chart;
  private static Path helm;
  private static Path helmHome;

  @BeforeAll
  static void locateHelmAndChart() throws Exception {
    repoRoot = findRepoRoot();
    chart = repoRoot.resolve("charts/cachemode-operator");
    helm = locateHelm(repoRoot);
    helmHome = Files.createTempDirectory("chart-test-helm");
  }

  @Test
  void lintStrictPasses() {
    Result lint = helm("lint", "--strict", chart.toString());
    assertThat(lint.exitCode).as(lint.toString()).isZero();
    assertThat(lint.stdout).contains("1 chart(s) linted, 0 chart(s) failed");

    Result everything =
        helm(
            "lint",
            "--strict",
            chart.toString(),
            "--set",
            "watchNamespaces={team-a},metrics.serviceMonitor.enabled=true,"
                + "metrics.prometheusRule.enabled=true,dashboard.enabled=true");
    assertThat(everything.exitCode).as(everything.toString()).isZero();
  }

  @Test
  void defaultsRenderExactlyTheExpectedObjects() {
    List<HasMetadata> objects = render();
    assertThat(objects)
        .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "ServiceAccount/" + FULLNAME,
            "ClusterRole/" + FULLNAME,
            "ClusterRoleBinding/" + FULLNAME,
            "ClusterRole/cachemode-view",
            "ClusterRole/cachemode-edit",
            "Role/" + FULLNAME + "-leader-election",
            "RoleBinding/" + FULLNAME + "-leader-election",
            "Deployment/" + FULLNAME,
            "Service/" + FULLNAME + "-metrics",
            "PodDisruptionBudget/" + FULLNAME,
            "ValidatingAdmissionPolicy/" + FULLNAME + "-managed-secret-values",
            "ValidatingAdmissionPolicyBinding/" + FULLNAME + "-managed-secret-values");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "watchNamespaces={team-a,team-b}",
        "leaderElection.enabled=false,replicaCount=1",
        "metrics.serviceMonitor.enabled=true,metrics.prometheusRule.enabled=true,dashboard.enabled=true"
      })
  void noRbacRuleUsesAWildcard(String set) {
    List<HasMetadata> objects = set.isEmpty() ? render() : render("--set", set);
    List<PolicyRule> rules = allRules(objects);
    assertThat(rules).isNotEmpty();
    for (PolicyRule rule : rules) {
      Stream.of(rule.getApiGroups(), rule.getResources(), rule.getVerbs(), rule.getResourceNames())
          .filter(l -> l != null)
          .flatMap(List::stream)
          .forEach(v -> assertThat(v).as("rule %s", rule).doesNotContain("*"));
      assertThat(rule.getNonResourceURLs()).as("rule %s", rule).isNullOrEmpty();
    }
  }

  @Test
  void clusterScopeGrantsExactlyTheOperatorContract() {
    List<HasMetadata> objects = render();
    ClusterRole role = find(objects, ClusterRole.class, FULLNAME);
    assertThat(flatten(role.getRules())).containsExactlyInAnyOrderElementsOf(managedContract());

    ClusterRoleBinding binding = find(objects, ClusterRoleBinding.class, FULLNAME);
    assertThat(binding.getRoleRef().getName()).isEqualTo(FULLNAME);
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getKind()).isEqualTo("ServiceAccount");
              assertThat(s.getName()).isEqualTo(FULLNAME);
              assertThat(s.getNamespace()).isEqualTo(NAMESPACE);
            });
    assertThat(env(deployment(objects))).containsEntry("WATCH_NAMESPACES", "");
  }

  @Test
  void namespaceListGetsOnlyNamespacedRolesAndNoClusterWideSecretAccess() {
    List<HasMetadata> objects = render("--set", "watchNamespaces={team-a,team-b}");

    assertThat(ofKind(objects, ClusterRoleBinding.class)).isEmpty();
    for (ClusterRole clusterRole : ofKind(objects, ClusterRole.class)) {
      assertThat(flatten(clusterRole.getRules()))
          .as("ClusterRole %s", clusterRole.getMetadata().getName())
          .noneMatch(p -> p.startsWith("/secrets:") || p.startsWith("apps/"));
    }
    assertThat(ofKind(objects, ClusterRole.class))
        .extracting(r -> r.getMetadata().getName())
        .containsExactlyInAnyOrder("cachemode-view", "cachemode-edit");

    for (String ns : List.of("team-a", "team-b")) {
      Role role =
          ofKind(objects, Role.class).stream()
              .filter(r -> ns.equals(r.getMetadata().getNamespace()))
              .collect(Collectors.collectingAndThen(Collectors.toList(), ChartIT::single));
      assertThat(role.getMetadata().getName()).isEqualTo(FULLNAME);
      assertThat(flatten(role.getRules())).containsExactlyInAnyOrderElementsOf(managedContract());

      RoleBinding binding =
          ofKind(objects, RoleBinding.class).stream()
              .filter(b -> ns.equals(b.getMetadata().getNamespace()))
              .collect(Collectors.collectingAndThen(Collectors.toList(), ChartIT::single));
      assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
      assertThat(binding.getRoleRef().getName()).isEqualTo(FULLNAME);
      assertThat(binding.getSubjects())
          .singleElement()
          .satisfies(s -> assertThat(s.getNamespace()).isEqualTo(NAMESPACE));
    }
    // Secrets appear only in the Roles of the two listed namespaces.
    assertThat(
            ofKind(objects, Role.class).stream()
                .filter(
                    r -> flatten(r.getRules()).stream().anyMatch(p -> p.startsWith("/secrets:")))
                .map(r -> r.getMetadata().getNamespace()))
        .containsExactlyInAnyOrder("team-a", "team-b");
    assertThat(env(deployment(objects))).containsEntry("WATCH_NAMESPACES", "team-a,team-b");
  }

  @Test
  void leasesOnlyInTheOperatorNamespaceAndOnlyWithLeaderElection() {
    List<HasMetadata> on = render("--set", "watchNamespaces={team-a}");
    List<Role> leaseRoles =
        ofKind(on, Role.class).stream()
            .filter(r -> flatten(r.getRules()).stream().anyMatch(p -> p.contains("leases")))
            .toList();
    assertThat(leaseRoles)
        .singleElement()
        .satisfies(r -> assertThat(r.getMetadata().getNamespace()).isEqualTo(NAMESPACE));
    assertThat(flatten(leaseRoles.get(0).getRules()))
        .containsExactlyInAnyOrder(
            "coordination.k8s.io/leases:create",
            "coordination.k8s.io/leases[cachemode-operator]:get",
            "coordination.k8s.io/leases[cachemode-operator]:update",
            "coordination.k8s.io/leases[cachemode-operator]:patch");
    assertThat(ofKind(on, ClusterRole.class))
        .allSatisfy(c -> assertThat(flatten(c.getRules())).noneMatch(p -> p.contains("leases")));
    assertThat(env(deployment(on)))
        .containsEntry("LEADER_ELECTION", "true")
        .containsEntry("LEASE_NAME", "cachemode-operator");

    List<HasMetadata> off = render("--set", "leaderElection.enabled=false,replicaCount=1");
    assertThat(allRules(off)).noneMatch(r -> r.getResources().contains("leases"));
    assertThat(env(deployment(off))).containsEntry("LEADER_ELECTION", "false");
    assertThat(off).noneMatch(o -> o.getKind().equals("PodDisruptionBudget"));
  }

  @Test
  void severalReplicasWithoutLeaderElectionAreRefused() {
    Result result = template("--set", "leaderElection.enabled=false");
    assertThat(result.exitCode).isNotZero();
    assertThat(result.stderr).contains("replicaCount > 1 requires leaderElection.enabled=true");
  }

  @Test
  void deploymentRunsLockedDownWithProbesResourcesAndTheEnvironmentContract() {
    Deployment deployment = deployment(render());
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo(FULLNAME);

    PodSecurityContext podSecurity = pod.getSecurityContext();
    assertThat(podSecurity.getRunAsNonRoot()).isTrue();
    assertThat(podSecurity.getRunAsUser()).isEqualTo(10001L);
    assertThat(podSecurity.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

    Container container = single(pod.getContainers());
    SecurityContext security = container.getSecurityContext();
    assertThat(security.getRunAsNonRoot()).isTrue();
    assertThat(security.getRunAsUser()).isEqualTo(10001L);
    assertThat(security.getReadOnlyRootFilesystem()).isTrue();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getPrivileged()).isFalse();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(security.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(security.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

    assertThat(container.getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getMountPath()).isEqualTo("/tmp");
              Volume volume =
                  pod.getVolumes().stream()
                      .filter(v -> v.getName().equals(m.getName()))
                      .findFirst()
                      .orElseThrow();
              assertThat(volume.getEmptyDir()).isNotNull();
            });

    assertThat(single(container.getPorts()).getName()).isEqualTo("http");
    assertThat(single(container.getPorts()).getContainerPort()).isEqualTo(8080);
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");

    assertThat(container.getResources().getRequests())
        .containsOnlyKeys("cpu", "memory")
        .satisfies(r -> assertThat(r.get("cpu").toString()).isEqualTo("100m"))
        .satisfies(r -> assertThat(r.get("memory").toString()).isEqualTo("256Mi"));
    assertThat(container.getResources().getLimits())
        .containsOnlyKeys("cpu", "memory")
        .satisfies(r -> assertThat(r.get("cpu").toString()).isEqualTo("1"))
        .satisfies(r -> assertThat(r.get("memory").toString()).isEqualTo("512Mi"));

    assertThat(env(deployment))
        .containsEntry("HTTP_PORT", "8080")
        .containsEntry("LOG_FORMAT", "text")
        .containsEntry("LOG_LEVEL", "INFO")
        .containsEntry(
            "JAVA_TOOL_OPTIONS",
            "-XX:MaxRAMPercentage=50 -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=48m -XX:CompileThresholdScaling=4 -XX:MaxNewSize=8m -XX:MaxHeapFreeRatio=20 -XX:MinHeapFreeRatio=10 -XX:TrimNativeHeapInterval=5000 -Dsun.reflect.inflationThreshold=2147483647")
        .containsEntry("MALLOC_ARENA_MAX", "2");
    EnvVar operatorNamespace =
        container.getEnv().stream()
            .filter(e -> e.getName().equals("OPERATOR_NAMESPACE"))
            .findFirst()
            .orElseThrow();
    assertThat(operatorNamespace.getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.namespace");
  }

  @Test
  void valuesReachTheContainerEnvironment() {
    Deployment deployment =
        deployment(
            render(
                "--set",
                "logging.format=json,logging.level=DEBUG,httpPort=9090,leaderElection.leaseName=cm-lease"));
    assertThat(env(deployment))
        .containsEntry("LOG_FORMAT", "json")
        .containsEntry("LOG_LEVEL", "DEBUG")
        .containsEntry("HTTP_PORT", "9090")
        .containsEntry("LEASE_NAME", "cm-lease");
    Container container = single(deployment.getSpec().getTemplate().getSpec().getContainers());
    assertThat(single(container.getPorts()).getContainerPort()).isEqualTo(9090);
  }

  @Test
  void egressDefaultsAreTheOperatorsDefaultsAndValuesReachTheEnvironment() {
    Map<String, String> env = env(deployment(render()));
    for (Purpose p : Purpose.values()) {
      assertThat(env).containsEntry(p.environmentVariable(), OutboundPolicy.DEFAULTS.get(p));
    }
    assertThat(env).containsEntry(OutboundPolicy.IN_CLUSTER_VARIABLE, "auto");
    assertThat(OutboundPolicy.fromEnvironment(env).inCluster()).isFalse();

    Map<String, String> custom =
        env(
            deployment(
                render(
                    "--set",
                    "egress.inCluster=true",
                    "--set-json",
                    "egress.providerApi=[\"api.upstash.com\"]",
                    "--set-json",
                    "egress.healthCheck=[\"*.svc.cluster.local\",\"10.0.0.0/8\"]",
                    "--set-json",
                    "egress.metrics=[]")));
    assertThat(custom)
        .containsEntry("EGRESS_IN_CLUSTER", "true")
        .containsEntry("EGRESS_PROVIDER_API", "api.upstash.com")
        .containsEntry("EGRESS_HEALTH_CHECK", "*.svc.cluster.local,10.0.0.0/8")
        .containsEntry("EGRESS_METRICS", "");
    OutboundPolicy policy = OutboundPolicy.fromEnvironment(custom);
    assertThat(policy.inCluster()).isTrue();
    assertThat(policy.checkName(Purpose.ProviderApi, "api.machines.dev")).isPresent();
    assertThat(policy.checkName(Purpose.Metrics, "prometheus.monitoring.svc")).isPresent();
  }

  @Test
  void admissionPolicyIsOnByDefaultAndRejectsNonCanonicalManagedValues() {
    List<HasMetadata> objects = render();
    ValidatingAdmissionPolicy policy = single(ofKind(objects, ValidatingAdmissionPolicy.class));
    ValidatingAdmissionPolicySpec spec = policy.getSpec();
    assertThat(spec.getFailurePolicy()).isEqualTo("Fail");
    assertThat(spec.getParamKind()).isNull();
    assertThat(spec.getMatchConstraints().getResourceRules())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getApiGroups()).containsExactly("");
              assertThat(r.getResources()).containsExactly("secrets");
              assertThat(r.getOperations()).containsExactlyInAnyOrder("CREATE", "UPDATE");
            });
    assertThat(spec.getMatchConstraints().getObjectSelector().getMatchExpressions())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getKey()).isEqualTo(MANAGED_KEY_LABEL);
              assertThat(e.getOperator()).isEqualTo("Exists");
            });

    Map<String, String> variables =
        spec.getVariables().stream()
            .collect(Collectors.toMap(Variable::getName, Variable::getExpression));
    assertThat(spec.getValidations()).hasSize(2);
    Validation labelKept = spec.getValidations().get(0);
    Validation canonical = spec.getValidations().get(1);
    String cel =
        String.join("\n", variables.values())
            + "\n"
            + labelKept.getExpression()
            + "\n"
            + canonical.getExpression();
    assertThat(variables.get("newKey"))
        .contains("object.metadata.labels['" + MANAGED_KEY_LABEL + "']");
    // The label is read from the old object as well: removing it in the same write as a bad value
    // must not take the key out of the check.
    assertThat(variables.get("oldKey"))
        .contains("oldObject != null")
        .contains("oldObject.metadata.labels['" + MANAGED_KEY_LABEL + "']");
    assertThat(variables.get("key")).contains("variables.oldKey");
    assertThat(variables.get("owner"))
        .contains("object.metadata.annotations['cachemode.io/owner']")
        .contains("oldObject.metadata.annotations['cachemode.io/owner']");
    assertThat(variables.get("byOperator"))
        .isEqualTo(
            "request.userInfo.username == 'system:serviceaccount:"
                + NAMESPACE
                + ":"
                + FULLNAME
                + "'");
    assertThat(cel).contains("object.data[variables.key]").contains("object.stringData");
    // Admission CEL sees data values as the API server's canonical base64; these must be exactly
    // the encodings of the two canonical values, and nothing else may be accepted.
    String b64True = Base64.getEncoder().encodeToString("true".getBytes(StandardCharsets.US_ASCII));
    String b64False =
        Base64.getEncoder().encodeToString("false".getBytes(StandardCharsets.US_ASCII));
    assertThat(cel).contains("in ['" + b64True + "', '" + b64False + "']");
    assertThat(cel).contains("in ['true', 'false']");
    // The Kubernetes CEL environment has no base64 library: a base64.decode call would fail to
    // compile and, with failurePolicy Fail, reject every write to a managed Secret.
    assertThat(cel).doesNotContain("base64.");
    assertThat(labelKept.getExpression())
        .isEqualTo(
            "variables.oldKey == '' || variables.newKey == variables.oldKey || variables.byOperator");
    assertThat(labelKept.getReason()).isEqualTo("Forbidden");
    assertThat(labelKept.getMessageExpression())
        .contains("variables.owner")
        .contains("only the operator removes or changes the cachemode.io/managed-key label");
    assertThat(canonical.getReason()).isEqualTo("Invalid");
    assertThat(canonical.getMessageExpression())
        .contains("variables.key")
        .contains("variables.owner")
        .contains("spec.suspend")
        .contains("instead of editing the Secret");

    assertThat(
            single(
                    ofKind(
                        render("--set", "serviceAccount.create=false,serviceAccount.name=ops"),
                        ValidatingAdmissionPolicy.class))
                .getSpec()
                .getVariables())
        .filteredOn(v -> v.getName().equals("byOperator"))
        .singleElement()
        .satisfies(
            v ->
                assertThat(v.getExpression())
                    .contains("'system:serviceaccount:" + NAMESPACE + ":ops'"));

    ValidatingAdmissionPolicyBinding binding =
        single(ofKind(objects, ValidatingAdmissionPolicyBinding.class));
    assertThat(binding.getSpec().getPolicyName()).isEqualTo(policy.getMetadata().getName());
    assertThat(binding.getSpec().getValidationActions()).containsExactly("Deny");
    assertThat(binding.getSpec().getMatchResources()).isNull();

    assertThat(render("--set", "admissionPolicy.enabled=false"))
        .noneMatch(o -> o.getKind().startsWith("ValidatingAdmissionPolicy"));
  }

  @Test
  void monitoringIsOptionalAndBuiltOnTheOperatorMetrics() throws IOException {
    assertThat(render())
        .noneMatch(
            o -> Set.of("ServiceMonitor", "PrometheusRule", "ConfigMap").contains(o.getKind()));

    List<HasMetadata> objects =
        render(
            "--set",
            "metrics.serviceMonitor.enabled=true,metrics.prometheusRule.enabled=true,dashboard.enabled=true");
    GenericKubernetesResource monitor = findGeneric(objects, "ServiceMonitor");
    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(SERIALIZATION.asJson(monitor.getAdditionalProperties().get("spec")))
        .contains("\"port\":\"http-metrics\"")
        .contains("\"path\":\"/metrics\"");

    GenericKubernetesResource rule = findGeneric(objects, "PrometheusRule");
    JsonNode rules =
        new ObjectMapper()
            .readTree(SERIALIZATION.asJson(rule.getAdditionalProperties().get("spec")))
            .at("/groups/0/rules");
    Map<String, String> alerts = new HashMap<>();
    rules.forEach(r -> alerts.put(r.get("alert").asText(), r.get("expr").asText()));
    assertThat(alerts)
        .containsOnlyKeys(
            "CacheModeRollback",
            "CacheModeTransitionFailed",
            "CacheModeIneffective",
            "CacheModeOperatorDown");
    assertThat(alerts.get("CacheModeIneffective")).contains("cachemode_ineffective");
    assertThat(alerts.get("CacheModeRollback")).contains("cachemode_rollbacks_total");
    assertThat(alerts.get("CacheModeTransitionFailed"))
        .contains("cachemode_transitions_total{result=\"Failed\"}");
    assertThat(alerts.get("CacheModeOperatorDown"))
        .contains("up{job=\"" + FULLNAME + "-metrics\", namespace=\"" + NAMESPACE + "\"}");

    ConfigMap dashboard = single(ofKind(objects, ConfigMap.class));
    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    String json = dashboard.getData().get("cachemode-operator.json");
    assertThat(json)
        .isEqualTo(
            Files.readString(chart.resolve("dashboards/cachemode-operator.json")).stripTrailing());
    JsonNode parsed = new ObjectMapper().readTree(json);
    assertThat(parsed.get("uid").asText()).isEqualTo("cachemode-operator");
    List<String> exprs = new ArrayList<>();
    parsed
        .get("panels")
        .forEach(p -> p.get("targets").forEach(t -> exprs.add(t.get("expr").asText())));
    for (String metric :
        List.of(
            "cachemode_transitions_total",
            "cachemode_rollbacks_total",
            "cachemode_health_checks_total",
            "cachemode_request_verdicts_total",
            "cachemode_restarts_total",
            "operator_sdk_reconciliations_failed_total",
            "jvm_memory_used_bytes")) {
      assertThat(exprs).as(metric).anyMatch(e -> e.contains(metric));
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "replicaCont=3                       | additional properties 'replicaCont' not allowed",
        "leaderElection.enabeld=true         | additional properties 'enabeld' not allowed",
        "replicaCount=two                    | at '/replicaCount': got string, want integer",
        "leaderElection.enabled=yes          | at '/leaderElection/enabled': got string, want boolean",
        "logging.format=xml                  | at '/logging/format': value must be one of 'text', 'json'",
        "admissionPolicy.validationActions={Deny,Warn} | at '/admissionPolicy/validationActions'",
        "watchNamespaces={Team_A}            | at '/watchNamespaces/0'",
        "egress.inCluster=maybe              | at '/egress/inCluster'",
        "egress.redis={a b}                  | at '/egress/redis/0'",
      })
  void valuesSchemaRejectsTyposAndWrongTypes(String set, String expectedError) {
    Result result = template("--set", set);
    assertThat(result.exitCode).as(result.toString()).isNotZero();
    assertThat(result.stderr)
        .contains("values don't meet the specifications of the schema")
        .contains(expectedError);
  }

  @Test
  void chartCrdIsByteIdenticalToTheGeneratedCrd() throws IOException {
    Path generated = repoRoot.resolve("crds/cachemodes.cachemode.io-v1.yml");
    Path copy = chart.resolve("crds/cachemodes.cachemode.io-v1.yml");
    assertThat(Files.mismatch(generated, copy))
        .as("%s differs from %s: copy the generated CRD into the chart", copy, generated)
        .isEqualTo(-1L);
    try (Stream<Path> files = Files.list(chart.resolve("crds"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactly("cachemodes.cachemode.io-v1.yml");
    }
  }

  @Test
  void notesTellHowToWatchATransition() throws IOException {
    // helm template does not render NOTES.txt, so render it as the data of a ConfigMap in a copy.
    Path copy = Files.createTempDirectory("chart-notes").resolve("cachemode-operator");
    try (Stream<Path> files = Files.walk(chart)) {
      for (Path source : files.toList()) {
        Files.copy(source, copy.resolve(chart.relativize(source).toString()));
      }
    }
    String notes = Files.readString(chart.resolve("templates/NOTES.txt"));
    Files.writeString(
        copy.resolve("templates/zz-notes-under-test.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\ndata:\n  notes: |\n"
            + notes.lines().map(l -> "    " + l).collect(Collectors.joining("\n"))
            + "\n");
    Result result =
        helm(
            "template",
            RELEASE,
            copy.toString(),
            "--namespace",
            NAMESPACE,
            "--set",
            "watchNamespaces={team-a}",
            "--show-only",
            "templates/zz-notes-under-test.yaml");
    assertThat(result.exitCode).as(result.toString()).isZero();
    ConfigMap rendered = SERIALIZATION.unmarshal(result.stdout, ConfigMap.class);
    assertThat(rendered.getData().get("notes"))
        .contains("kubectl get cmode -A -w")
        .contains("kubectl describe cmode <name> -n <namespace>")
        .contains("It watches namespaces: team-a.")
        .contains("kubectl -n " + NAMESPACE + " rollout status deployment/" + FULLNAME)
        .contains("spec.suspend");
  }

  @Test
  void readmeDocumentsEveryValue() throws IOException {
    JsonNode values =
        new ObjectMapper(new YAMLFactory()).readTree(chart.resolve("values.yaml").toFile());
    String readme = Files.readString(chart.resolve("README.md"));
    List<String> paths = new ArrayList<>();
    collectLeafPaths(values, "", paths);
    assertThat(paths)
        .contains("replicaCount", "resources.limits.memory", "admissionPolicy.enabled");
    for (String path : paths) {
      boolean documented = false;
      for (String prefix = path; !prefix.isEmpty(); prefix = parent(prefix)) {
        documented |= readme.contains("| `" + prefix + "` |");
      }
      assertThat(documented).as("README values table lacks %s", path).isTrue();
    }
  }

  private static void collectLeafPaths(JsonNode node, String path, List<String> out) {
    if (node.isObject() && node.size() > 0) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        collectLeafPaths(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out);
      }
    } else {
      out.add(path);
    }
  }

  private static String parent(String path) {
    int dot = path.lastIndexOf('.');
    return dot < 0 ? "" : path.substring(0, dot);
  }

  // ---- rendering and parsing ----

  private static List<HasMetadata> render(String... extraArgs) {
    Result result = template(extraArgs);
    assertThat(result.exitCode).as(result.toString()).isZero();
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : result.stdout.split("(?m)^---\\s*$")) {
      boolean onlyComments =
          doc.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#"));
      if (!onlyComments) {
        objects.add(SERIALIZATION.unmarshal(doc, HasMetadata.class));
      }
    }
    return objects;
  }

  private static Result template(String... extraArgs) {
    List<String> args =
        new ArrayList<>(List.of("template", RELEASE, chart.toString(), "--namespace", NAMESPACE));
    args.addAll(Arrays.asList(extraArgs));
    return helm(args.toArray(String[]::new));
  }

  private static <T extends HasMetadata> List<T> ofKind(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static <T extends HasMetadata> T find(
      List<HasMetadata> objects, Class<T> type, String name) {
    return ofKind(objects, type).stream()
        .filter(o -> name.equals(o.getMetadata().getName()))
        .collect(Collectors.collectingAndThen(Collectors.toList(), ChartIT::single));
  }

  private static GenericKubernetesResource findGeneric(List<HasMetadata> objects, String kind) {
    return ofKind(objects, GenericKubernetesResource.class).stream()
        .filter(o -> kind.equals(o.getKind()))
        .collect(Collectors.collectingAndThen(Collectors.toList(), ChartIT::single));
  }

  private static Deployment deployment(List<HasMetadata> objects) {
    return single(ofKind(objects, Deployment.class));
  }

  private static Map<String, String> env(Deployment deployment) {
    Container container = single(deployment.getSpec().getTemplate().getSpec().getContainers());
    Map<String, String> env = new HashMap<>();
    container.getEnv().stream()
        .filter(e -> e.getValue() != null)
        .forEach(e -> env.put(e.getName(), e.getValue()));
    return env;
  }

  private static List<PolicyRule> allRules(List<HasMetadata> objects) {
    List<PolicyRule> rules = new ArrayList<>();
    ofKind(objects, ClusterRole.class).forEach(r -> rules.addAll(r.getRules()));
    ofKind(objects, Role.class).forEach(r -> rules.addAll(r.getRules()));
    return rules;
  }

  /**
   * Rules as "group/resource[names]:verb" strings, so rule sets compare independently of layout.
   */
  private static Set<String> flatten(List<PolicyRule> rules) {
    Set<String> permissions = new HashSet<>();
    for (PolicyRule rule : rules) {
      String names =
          rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
              ? ""
              : rule.getResourceNames().stream()
                  .sorted()
                  .collect(Collectors.joining(",", "[", "]"));
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            permissions.add(group + "/" + resource + names + ":" + verb);
          }
        }
      }
    }
    return permissions;
  }

  /** What the operator uses in the namespaces it manages (the contract in the chart's brief). */
  private static Set<String> managedContract() {
    Set<String> p = new HashSet<>();
    for (String verb : List.of("get", "list", "watch", "patch")) {
      p.add("cachemode.io/cachemodes:" + verb);
    }
    for (String verb : List.of("get", "patch", "update")) {
      p.add("cachemode.io/cachemodes/status:" + verb);
    }
    for (String verb : List.of("get", "list", "watch", "patch")) {
      p.add("/secrets:" + verb);
      p.add("apps/deployments:" + verb);
      p.add("apps/statefulsets:" + verb);
    }
    // Log checks only: list pods, read pods/log; never get/watch pods or exec.
    p.add("/pods:list");
    p.add("/pods/log:get");
    for (String verb : List.of("create", "patch")) {
      p.add("/events:" + verb);
      p.add("events.k8s.io/events:" + verb);
    }
    return p;
  }

  private static <T> T single(List<T> list) {
    assertThat(list).hasSize(1);
    return list.get(0);
  }

  // ---- helm process ----

  private record Result(int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }

  private static Result helm(String... args) {
    List<String> command = new ArrayList<>();
    command.add(helm.toString());
    command.addAll(Arrays.asList(args));
    return run(command, 120);
  }

  private static Result run(List<String> command, long timeoutSeconds) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(repoRoot.toFile());
      // Keep helm away from the user's repositories, plugins and kube context.
      builder.environment().put("HELM_CACHE_HOME", helmHome.resolve("cache").toString());
      builder.environment().put("HELM_CONFIG_HOME", helmHome.resolve("config").toString());
      builder.environment().put("HELM_DATA_HOME", helmHome.resolve("data").toString());
      builder.environment().put("KUBECONFIG", helmHome.resolve("kubeconfig").toString());
      Process process = builder.start();
      CompletableFuture<String> stdout = readAsync(process.getInputStream());
      CompletableFuture<String> stderr = readAsync(process.getErrorStream());
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("timed out after " + timeoutSeconds + "s: " + command);
      }
      return new Result(process.exitValue(), stdout.join(), stderr.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static CompletableFuture<String> readAsync(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  private static Path findRepoRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("testenv/build.sh"))
          && Files.isDirectory(dir.resolve("charts/cachemode-operator"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "no repository root (testenv/build.sh and charts/) above " + Path.of("").toAbsolutePath());
  }

  /**
   * testenv/build.sh prints the directory of the binaries it built (instantly when they are cached;
   * a cold build takes many minutes, its progress goes to stderr). CACHEMODE_TESTENV_BIN points at
   * an existing directory instead.
   */
  private static Path locateHelm(Path root) throws IOException, InterruptedException {
    String bin = System.getenv("CACHEMODE_TESTENV_BIN");
    if (bin == null || bin.isBlank()) {
      Process build =
          new ProcessBuilder(root.resolve("testenv/build.sh").toString())
              .directory(root.toFile())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      String out = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!build.waitFor(90, TimeUnit.MINUTES) || build.exitValue() != 0) {
        throw new IllegalStateException("testenv/build.sh failed: " + out);
      }
      List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
      bin = lines.get(lines.size() - 1).strip();
    }
    Path path = Path.of(bin, "helm");
    if (!Files.isExecutable(path)) {
      throw new IllegalStateException("no helm binary at " + path);
    }
    return path;
  }
}
