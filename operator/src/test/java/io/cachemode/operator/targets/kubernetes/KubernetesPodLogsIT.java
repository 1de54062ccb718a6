package io.cachemode.operator.targets.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachemode.operator.api.ApiConstants;
import io.cachemode.operator.api.CheckResult;
import io.cachemode.operator.api.LogCheckSpec;
import io.cachemode.operator.api.WorkloadKind;
import io.cachemode.operator.api.WorkloadReference;
import io.cachemode.operator.it.Fixtures;
import io.cachemode.operator.testing.ControlPlaneExtension;
import io.cachemode.operator.testing.KwokLogs;
import io.cachemode.operator.testing.TestNamespace;
import io.cachemode.operator.verify.LogCheckResult;
import io.cachemode.operator.verify.LogChecks;
import io.cachemode.operator.verify.PodLogs;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Log checks on the real local control plane: kwok serves each pod's log from a file (testenv's
 * Logs convention), kube-apiserver forwards {@code pods/log} to kwok's kubelet port, and {@link
 * KubernetesPodLogs} reads it as the operator does. A restarted Deployment whose new pods logged
 * the runbook's line passes; one whose pods did not fails.
 */
@ExtendWith(ControlPlaneExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubernetesPodLogsIT {

  private static final String SUSPENDED = "🚨 REDIS SUSPENDED: Distributed caching is disabled";

  private final KubernetesClient client;
  private final String ns;
  private final Fixtures fx;
  private Path logDir;

  KubernetesPodLogsIT(KubernetesClient client, TestNamespace ns) {
    this.client = client;
    this.ns = ns.name();
    this.fx = new Fixtures(client, ns.name());
  }

  @BeforeAll
  void logDirectory() throws Exception {
    logDir = Files.createTempDirectory("kwok-logs-");
  }

  /** What the operator's restart does to the pod template, then waits for the new pods. */
  private List<Pod> restart(String name, int replicas) {
    String before = revisionHashes(name).toString();
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName(name)
        .edit(
            d -> {
              d.getSpec()
                  .getTemplate()
                  .getMetadata()
                  .getAnnotations()
                  .put(ApiConstants.RESTARTED_AT_ANNOTATION, Instant.now().toString());
              d.getSpec()
                  .getTemplate()
                  .getMetadata()
                  .getAnnotations()
                  .put(ApiConstants.FLAG_HASH_ANNOTATION, "5d6db761a0c6aa3a");
              return d;
            });
    await(name + " rolled out")
        .atMost(Duration.ofMinutes(2))
        .until(
            () -> {
              List<Pod> pods = runningPods(name);
              return pods.size() == replicas
                  && !revisionHashes(name).toString().equals(before)
                  && revisionHashes(name).size() == 1;
            });
    return runningPods(name);
  }

  private List<Pod> runningPods(String app) {
    return client.pods().inNamespace(ns).withLabel("app", app).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
        .filter(
            p ->
                p.getStatus().getContainerStatuses() != null
                    && p.getStatus().getContainerStatuses().stream()
                        .allMatch(s -> s.getState() != null && s.getState().getRunning() != null))
        .toList();
  }

  private List<String> revisionHashes(String app) {
    return runningPods(app).stream()
        .map(p -> p.getMetadata().getLabels().get(CurrentRevisionPods.POD_TEMPLATE_HASH))
        .distinct()
        .toList();
  }

  private Deployment deploymentWithAnnotations(String name, int replicas) {
    Deployment d =
        Fixtures.deploymentOf(name, replicas)
            .editSpec()
            .editTemplate()
            .editMetadata()
            .addToAnnotations(ApiConstants.RESTARTED_AT_ANNOTATION, "2026-01-01T00:00:00Z")
            .endMetadata()
            .endTemplate()
            .endSpec()
            .build();
    client.apps().deployments().inNamespace(ns).resource(d).create();
    await(name + " available")
        .atMost(Duration.ofMinutes(2))
        .until(() -> fx.available(name) == replicas);
    return d;
  }

  private static Instant started(Pod pod) {
    return Instant.parse(
        pod.getStatus().getContainerStatuses().get(0).getState().getRunning().getStartedAt());
  }

  private void serve(Pod pod, String... lines) throws Exception {
    Instant start = started(pod);
    List<KwokLogs.Line> stamped =
        java.util.stream.IntStream.range(0, lines.length)
            .mapToObj(i -> new KwokLogs.Line(start.plusMillis(500L * (i + 1)), lines[i]))
            .toList();
    KwokLogs.serve(client, ns, pod.getMetadata().getName(), logDir, stamped);
  }

  private static LogCheckSpec check() {
    LogCheckSpec spec = new LogCheckSpec();
    spec.setName("suspended");
    spec.setContains("REDIS SUSPENDED");
    spec.setWithin("1m");
    return spec;
  }

  /** Evaluates as if 2 minutes had passed, so every 1m window is closed. */
  private LogCheckResult evaluate(PodLogs logs, String deployment) {
    Clock later = Clock.offset(Clock.system(ZoneOffset.UTC), Duration.ofMinutes(2));
    return new LogChecks(logs, later)
        .evaluate(
            ns,
            List.of(new WorkloadReference(WorkloadKind.Deployment, deployment)),
            List.of(check()))
        .get(0);
  }

  @Test
  void podsOfTheRestartThatLoggedTheLinePassAndOthersFail() throws Exception {
    deploymentWithAnnotations("honours", 2);
    deploymentWithAnnotations("ignores", 2);
    List<Pod> oldPods = runningPods("honours");
    for (Pod old : oldPods) {
      // The pods from before the restart logged it too: they must not count.
      serve(old, "starting", SUSPENDED);
    }
    List<Pod> honouring = restart("honours", 2);
    List<Pod> ignoring = restart("ignores", 2);
    for (Pod pod : honouring) {
      serve(
          pod,
          "Starting atom-saas",
          SUSPENDED,
          "Local memory mode engaged due to Redis suspension");
    }
    for (Pod pod : ignoring) {
      serve(pod, "Starting atom-saas", "Redis connected: distributed caching enabled");
    }
    KubernetesPodLogs logs = new KubernetesPodLogs(client);

    PodLogs.Listing listing =
        logs.currentPods(ns, new WorkloadReference(WorkloadKind.Deployment, "honours"));
    LogCheckResult passed = evaluate(logs, "honours");
    LogCheckResult failed = evaluate(logs, "ignores");

    assertThat(listing).isInstanceOf(PodLogs.Pods.class);
    assertThat(((PodLogs.Pods) listing).pods())
        .extracting(PodLogs.Pod::name)
        .containsExactlyInAnyOrderElementsOf(
            honouring.stream().map(p -> p.getMetadata().getName()).toList())
        .doesNotContainAnyElementsOf(oldPods.stream().map(p -> p.getMetadata().getName()).toList());
    assertThat(((PodLogs.Pods) listing).revision()).isEqualTo(revisionHashes("honours").get(0));

    assertThat(passed.result()).as(passed.message()).isEqualTo(CheckResult.Passed);
    assertThat(passed.podsMatched()).isEqualTo(2);
    assertThat(passed.podsSeen()).isEqualTo(2);
    assertThat(passed.firstMatchAt())
        .isEqualTo(
            honouring.stream().map(p -> started(p).plusMillis(1000)).min(Instant::compareTo).get());

    assertThat(failed.result()).as(failed.message()).isEqualTo(CheckResult.Failed);
    assertThat(failed.podsMatched()).isZero();
    assertThat(failed.podsSeen()).isEqualTo(2);
    assertThat(failed.message())
        .startsWith("0 of 2 pods logged \"REDIS SUSPENDED\"; pod ")
        .doesNotContain("Redis connected");
  }

  @Test
  void aPodWhoseLogIsNotServedIsInconclusiveWithTheApiServersReason() throws Exception {
    deploymentWithAnnotations("silent", 1);
    Pod pod = runningPods("silent").get(0);
    KubernetesPodLogs logs = new KubernetesPodLogs(client);

    PodLogs.Read read = logs.read(ns, pod.getMetadata().getName(), "app", started(pod), 1024);
    LogCheckResult result = evaluate(logs, "silent");

    assertThat(read).isInstanceOf(PodLogs.ReadFailed.class);
    PodLogs.Failure failure = ((PodLogs.ReadFailed) read).failure();
    assertThat(failure.kind()).isEqualTo(PodLogs.FailureKind.NoLogs);
    assertThat(failure.message()).contains("no logs found for container \"app\"");
    assertThat(result.result()).isEqualTo(CheckResult.Inconclusive);
    assertThat(result.decidableAt()).isNull();
  }

  @Test
  void readsAreBoundedByBytesAndStartAtTheGivenTime() throws Exception {
    deploymentWithAnnotations("chatty", 1);
    Pod pod = runningPods("chatty").get(0);
    Instant start = started(pod);
    KwokLogs.serve(
        client,
        ns,
        pod.getMetadata().getName(),
        logDir,
        List.of(
            new KwokLogs.Line(start.minusSeconds(30), "before the container started"),
            new KwokLogs.Line(start.plusSeconds(1), "a".repeat(300)),
            new KwokLogs.Line(start.plusSeconds(2), "b".repeat(300))));
    KubernetesPodLogs logs = new KubernetesPodLogs(client);

    PodLogs.Read all = logs.read(ns, pod.getMetadata().getName(), "app", start, 10_000);
    PodLogs.Read cut = logs.read(ns, pod.getMetadata().getName(), "app", start, 100);

    assertThat(all).isInstanceOf(PodLogs.Text.class);
    PodLogs.Text text = (PodLogs.Text) all;
    assertThat(text.truncated()).isFalse();
    assertThat(text.text()).doesNotContain("before the container started");
    assertThat(text.text().lines()).hasSize(2);
    // pods/log?timestamps=true prefixes each line with its RFC 3339 time (nanoseconds shown).
    assertThat(Instant.parse(text.text().split(" ", 2)[0])).isEqualTo(start.plusSeconds(1));
    assertThat(text.text().split(" ", 2)[1]).startsWith("aaa");
    assertThat(cut).isEqualTo(new PodLogs.Text(text.text().substring(0, 100), true));
  }

  @Test
  void aStatefulSetsPodsAreThoseOfItsUpdateRevision() {
    client
        .apps()
        .statefulSets()
        .inNamespace(ns)
        .resource(Fixtures.statefulSetOf("db").build())
        .create();
    KubernetesPodLogs logs = new KubernetesPodLogs(client);
    WorkloadReference db = new WorkloadReference(WorkloadKind.StatefulSet, "db");

    await("db-0 of the update revision")
        .atMost(Duration.ofMinutes(2))
        .until(
            () ->
                logs.currentPods(ns, db) instanceof PodLogs.Pods pods
                    && pods.pods().size() == 1
                    && pods.pods().get(0).containers().get(0).startedAt() != null);

    PodLogs.Pods pods = (PodLogs.Pods) logs.currentPods(ns, db);
    assertThat(pods.pods().get(0).name()).isEqualTo("db-0");
    assertThat(pods.revision())
        .isEqualTo(
            client
                .apps()
                .statefulSets()
                .inNamespace(ns)
                .withName("db")
                .get()
                .getStatus()
                .getUpdateRevision());
    assertThat(logs.currentPods(ns, new WorkloadReference(WorkloadKind.StatefulSet, "nope")))
        .isEqualTo(
            new PodLogs.ListingFailed(
                new PodLogs.Failure(PodLogs.FailureKind.NotFound, "StatefulSet nope not found")));
  }

  /**
   * The chart grants exactly get on Deployments and StatefulSets, list on pods and get on pods/log
   * for this; with those rules (as a ServiceAccount) the check works, and without pods/log it is
   * Unauthorized, never a pass.
   */
  @Test
  void theChartsRulesAreEnoughAndWithoutPodsLogTheReadIsUnauthorized() throws Exception {
    deploymentWithAnnotations("guarded", 1);
    Pod pod = runningPods("guarded").get(0);
    serve(pod, SUSPENDED);
    KubernetesClient granted = serviceAccountClient("log-reader", true);
    KubernetesClient denied = serviceAccountClient("no-logs", false);
    try (granted;
        denied) {
      assertThat(evaluate(new KubernetesPodLogs(granted), "guarded").result())
          .isEqualTo(CheckResult.Passed);

      LogCheckResult result = evaluate(new KubernetesPodLogs(denied), "guarded");
      PodLogs.Read read =
          new KubernetesPodLogs(denied)
              .read(ns, pod.getMetadata().getName(), "app", started(pod), 100);

      assertThat(result.result()).isEqualTo(CheckResult.Inconclusive);
      assertThat(((PodLogs.ReadFailed) read).failure().kind())
          .isEqualTo(PodLogs.FailureKind.Unauthorized);
    }
  }

  private KubernetesClient serviceAccountClient(String name, boolean podsLog) {
    client
        .serviceAccounts()
        .inNamespace(ns)
        .resource(
            new ServiceAccountBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    RoleBuilder role =
        new RoleBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .addToRules(
                new PolicyRuleBuilder()
                    .withApiGroups("apps")
                    .withResources("deployments", "statefulsets")
                    .withVerbs("get")
                    .build(),
                new PolicyRuleBuilder()
                    .withApiGroups("")
                    .withResources("pods")
                    .withVerbs("list")
                    .build());
    if (podsLog) {
      role.addToRules(
          new PolicyRuleBuilder()
              .withApiGroups("")
              .withResources("pods/log")
              .withVerbs("get")
              .build());
    }
    client.rbac().roles().inNamespace(ns).resource(role.build()).create();
    client
        .rbac()
        .roleBindings()
        .inNamespace(ns)
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", name)
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName(name)
                .withNamespace(ns)
                .endSubject()
                .build())
        .create();
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder(client.getConfiguration())
                .withImpersonateUsername("system:serviceaccount:" + ns + ":" + name)
                .withImpersonateGroups("system:serviceaccounts", "system:authenticated")
                .build())
        .build();
  }
}
