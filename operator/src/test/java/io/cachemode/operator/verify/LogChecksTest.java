package io.cachemode.operator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachemode.operator.api.CheckResult;
import io.cachemode.operator.api.LogCheckSpec;
import io.cachemode.operator.api.WorkloadKind;
import io.cachemode.operator.api.WorkloadReference;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogChecksTest {

  private static final String NS = "atom";
  private static final Instant T0 = Instant.parse("2026-09-02T10:00:00Z");
  private static final WorkloadReference APP =
      new WorkloadReference(WorkloadKind.Deployment, "app");
  private static final String SUSPENDED_LINE =
      "🚨 REDIS SUSPENDED: Distributed caching is disabled";

  /** Pods and logs held in memory; records every read. */
  private static final class FakePodLogs implements PodLogs {
    PodLogs.Listing listing = new PodLogs.Pods("abc123", List.of());
    final Map<String, PodLogs.Read> logs = new HashMap<>();
    final List<String> reads = new ArrayList<>();

    @Override
    public Listing currentPods(String namespace, WorkloadReference workload) {
      return listing;
    }

    @Override
    public Read read(String namespace, String pod, String container, Instant since, int maxBytes) {
      reads.add(namespace + "/" + pod + "/" + container + " since " + since + " max " + maxBytes);
      return logs.getOrDefault(pod + "/" + container, new PodLogs.Text("", false));
    }
  }

  private final FakePodLogs pods = new FakePodLogs();

  private static PodLogs.Pod pod(String name, Instant started) {
    return new PodLogs.Pod(name, List.of(new PodLogs.Container("app", started)), "app");
  }

  private static LogCheckSpec check(String contains) {
    LogCheckSpec spec = new LogCheckSpec();
    spec.setName("suspended");
    spec.setContains(contains);
    return spec;
  }

  private void logs(String pod, String... lines) {
    pods.logs.put(pod + "/app", new PodLogs.Text(String.join("\n", lines) + "\n", false));
  }

  private LogCheckResult evaluateAt(Instant now, LogCheckSpec check) {
    LogChecks checks = new LogChecks(pods, Clock.fixed(now, ZoneOffset.UTC));
    List<LogCheckResult> results = checks.evaluate(NS, List.of(APP), List.of(check));
    assertThat(results).hasSize(1);
    return results.get(0);
  }

  @Test
  void everyPodLoggingTheLinePassesWithoutQuotingTheLog() {
    pods.listing = new PodLogs.Pods("abc123", List.of(pod("app-1", T0), pod("app-2", T0)));
    logs("app-1", "2026-09-02T10:00:03Z " + SUSPENDED_LINE);
    logs("app-2", "2026-09-02T10:00:01Z starting", "2026-09-02T10:00:02Z " + SUSPENDED_LINE);

    LogCheckResult result = evaluateAt(T0.plusSeconds(30), check("REDIS SUSPENDED"));

    assertThat(result.result()).isEqualTo(CheckResult.Passed);
    assertThat(result.podsMatched()).isEqualTo(2);
    assertThat(result.podsSeen()).isEqualTo(2);
    assertThat(result.firstMatchAt()).isEqualTo(Instant.parse("2026-09-02T10:00:02Z"));
    assertThat(result.decidableAt()).isNull();
    assertThat(result.message())
        .isEqualTo("every pod (2) logged \"REDIS SUSPENDED\" within 5m of starting");
    assertThat(result.toStatus().getMessage() + result.toStatus().getFirstMatchAt())
        .doesNotContain("Distributed caching")
        .doesNotContain("starting\"");
    assertThat(pods.reads)
        .containsExactly(
            "atom/app-1/app since 2026-09-02T10:00:00Z max 1048576",
            "atom/app-2/app since 2026-09-02T10:00:00Z max 1048576");
  }

  @Test
  void aPodThatDidNotLogItInTimeFailsTheCheck() {
    pods.listing =
        new PodLogs.Pods(
            "abc123",
            List.of(pod("app-1", T0), pod("app-2", T0), pod("app-3", T0.plusSeconds(200))));
    logs("app-1", "2026-09-02T10:00:03Z " + SUSPENDED_LINE);
    logs("app-2", "2026-09-02T10:00:01Z Redis connected: caching enabled");

    LogCheckResult result = evaluateAt(T0.plusSeconds(301), check("REDIS SUSPENDED"));

    // app-3's window is still open, but app-2 already disproves the change.
    assertThat(result.result()).isEqualTo(CheckResult.Failed);
    assertThat(result.podsMatched()).isEqualTo(1);
    assertThat(result.podsSeen()).isEqualTo(3);
    assertThat(result.message())
        .isEqualTo(
            "1 of 3 pods logged \"REDIS SUSPENDED\"; pod app-2 did not within 5m of starting");
    assertThat(result.message()).doesNotContain("caching enabled");
  }

  @Test
  void openWindowsAreInconclusiveUntilTheLastOneCloses() {
    pods.listing =
        new PodLogs.Pods("abc123", List.of(pod("app-1", T0), pod("app-2", T0.plusSeconds(20))));
    logs("app-1", "2026-09-02T10:00:03Z " + SUSPENDED_LINE);
    LogCheckSpec check = check("REDIS SUSPENDED");
    check.setWithin("2m");

    LogCheckResult result = evaluateAt(T0.plusSeconds(30), check);

    assertThat(result.result()).isEqualTo(CheckResult.Inconclusive);
    assertThat(result.decidableAt()).isEqualTo(T0.plusSeconds(140));
    assertThat(result.message())
        .isEqualTo("1 of 2 pods logged \"REDIS SUSPENDED\"; waiting for pod app-2");
  }

  @Test
  void unreadableLogsAreInconclusiveWithoutADecisionTime() {
    pods.listing = new PodLogs.Pods("abc123", List.of(pod("app-1", T0), pod("app-2", T0)));
    logs("app-1", "2026-09-02T10:00:03Z " + SUSPENDED_LINE);
    pods.logs.put(
        "app-2/app",
        new PodLogs.ReadFailed(
            new PodLogs.Failure(PodLogs.FailureKind.Unauthorized, "pods/log is forbidden")));

    LogCheckResult result = evaluateAt(T0.plusSeconds(400), check("REDIS SUSPENDED"));

    assertThat(result.result()).isEqualTo(CheckResult.Inconclusive);
    assertThat(result.decidableAt()).isNull();
    assertThat(result.message())
        .isEqualTo("1 of 2 pods logged \"REDIS SUSPENDED\"; app-2: pods/log is forbidden");
  }

  @Test
  void aLogCutAtTheCapBeforeTheWindowEndsIsInconclusive() {
    pods.listing = new PodLogs.Pods("abc123", List.of(pod("app-1", T0)));
    pods.logs.put(
        "app-1/app", new PodLogs.Text("2026-09-02T10:00:01Z noise\n2026-09-02T10:0", true));

    LogCheckResult result = evaluateAt(T0.plusSeconds(400), check("REDIS SUSPENDED"));

    assertThat(result.result()).isEqualTo(CheckResult.Inconclusive);
    assertThat(result.message())
        .endsWith(
            "app-1: the first 1024 KiB of its log (up to 2026-09-02T10:00:01Z) do not hold it and"
                + " reach no further");
  }

  @Test
  void noPodsOrNoListingIsInconclusive() {
    LogCheckResult none = evaluateAt(T0, check("REDIS SUSPENDED"));
    pods.listing =
        new PodLogs.ListingFailed(
            new PodLogs.Failure(PodLogs.FailureKind.NotFound, "Deployment app not found"));
    LogCheckResult missing = evaluateAt(T0, check("REDIS SUSPENDED"));

    assertThat(none.result()).isEqualTo(CheckResult.Inconclusive);
    assertThat(none.message())
        .isEqualTo("no running pod of the current revision of Deployment/app");
    assertThat(missing.result()).isEqualTo(CheckResult.Inconclusive);
    assertThat(missing.message())
        .isEqualTo("pods could not be listed: Deployment/app: Deployment app not found");
  }

  @Test
  void theNamedContainerIsReadAndAMissingOneIsReported() {
    PodLogs.Pod twoContainers =
        new PodLogs.Pod(
            "app-1",
            List.of(new PodLogs.Container("app", T0), new PodLogs.Container("sidecar", T0)),
            "app");
    pods.listing = new PodLogs.Pods("abc123", List.of(twoContainers));
    pods.logs.put(
        "app-1/sidecar", new PodLogs.Text("2026-09-02T10:00:05Z REDIS SUSPENDED\n", false));
    LogCheckSpec sidecar = check("REDIS SUSPENDED");
    sidecar.setContainer("sidecar");
    LogCheckSpec missing = check("REDIS SUSPENDED");
    missing.setContainer("worker");

    assertThat(evaluateAt(T0.plusSeconds(10), sidecar).result()).isEqualTo(CheckResult.Passed);
    LogCheckResult result = evaluateAt(T0.plusSeconds(10), missing);
    assertThat(result.result()).isEqualTo(CheckResult.Inconclusive);
    assertThat(result.message())
        .endsWith("app-1: has no container worker (spec.logChecks[suspended].container)");
  }

  @Test
  void aContainerNotStartedYetIsNotReadAndNotFailed() {
    pods.listing = new PodLogs.Pods("abc123", List.of(pod("app-1", null)));

    LogCheckResult result = evaluateAt(T0.plusSeconds(900), check("REDIS SUSPENDED"));

    assertThat(result.result()).isEqualTo(CheckResult.Inconclusive);
    assertThat(result.message()).endsWith("app-1: container app has not started");
    assertThat(pods.reads).isEmpty();
  }

  @Test
  void aTargetWithoutPodsIsInconclusive() {
    LogChecks checks =
        new LogChecks(
            PodLogs.unsupported("Fly Machines have no pods/log"), Clock.fixed(T0, ZoneOffset.UTC));

    LogCheckResult result = checks.evaluate(NS, List.of(APP), List.of(check("x"))).get(0);

    assertThat(result.result()).isEqualTo(CheckResult.Inconclusive);
    assertThat(result.message())
        .isEqualTo("pods could not be listed: Deployment/app: Fly Machines have no pods/log");
  }
}
