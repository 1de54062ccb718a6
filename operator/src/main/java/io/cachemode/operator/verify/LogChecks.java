package io.cachemode.operator.verify;

import io.cachemode.operator.api.CheckResult;
import io.cachemode.operator.api.LogCheckSpec;
import io.cachemode.operator.api.WorkloadReference;
import io.cachemode.operator.support.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Evaluates {@code spec.logChecks}: every pod of the workloads' current revisions must log the
 * expected substring within {@code within} of its container starting. One call reads each pod's log
 * once per check (at most {@link #MAX_LOG_BYTES} from the container's start), never waits, and
 * answers Inconclusive with {@link LogCheckResult#decidableAt()} while a window is still open.
 */
public final class LogChecks {

  /** The most log bytes read per pod and check. */
  public static final int MAX_LOG_BYTES = 1024 * 1024;

  /** Pods named in one message at most. */
  private static final int NAMED_PODS = 5;

  private final PodLogs logs;
  private final Clock clock;

  public LogChecks(PodLogs logs, Clock clock) {
    this.logs = logs;
    this.clock = clock;
  }

  /** One result per check, in the order of {@code checks}. */
  public List<LogCheckResult> evaluate(
      String namespace, List<WorkloadReference> workloads, List<LogCheckSpec> checks) {
    if (checks == null || checks.isEmpty()) {
      return List.of();
    }
    List<PodLogs.Pod> pods = new ArrayList<>();
    List<String> listingProblems = new ArrayList<>();
    for (WorkloadReference workload : workloads) {
      PodLogs.Listing listing = logs.currentPods(namespace, workload);
      if (listing instanceof PodLogs.Pods found) {
        pods.addAll(found.pods());
      } else {
        PodLogs.Failure failure = ((PodLogs.ListingFailed) listing).failure();
        listingProblems.add(
            workload.getKind() + "/" + workload.getName() + ": " + failure.message());
      }
    }
    return checks.stream()
        .map(check -> evaluate(namespace, workloads, pods, listingProblems, check))
        .toList();
  }

  private LogCheckResult evaluate(
      String namespace,
      List<WorkloadReference> workloads,
      List<PodLogs.Pod> pods,
      List<String> listingProblems,
      LogCheckSpec check) {
    Instant now = clock.instant();
    String expected = "\"" + check.getContains() + "\"";
    if (!listingProblems.isEmpty()) {
      return inconclusive(
          check,
          0,
          pods.size(),
          null,
          now,
          null,
          "pods could not be listed: " + String.join("; ", listingProblems));
    }
    if (pods.isEmpty()) {
      return inconclusive(
          check,
          0,
          0,
          null,
          now,
          null,
          "no running pod of the current revision of "
              + workloads.stream()
                  .map(w -> w.getKind() + "/" + w.getName())
                  .collect(Collectors.joining(", ")));
    }
    Duration within =
        Durations.parse(
            check.getWithin() == null ? LogCheckSpec.DEFAULT_WITHIN : check.getWithin());
    List<PodVerdict> verdicts =
        pods.stream().map(pod -> podVerdict(namespace, pod, check, within, now)).toList();

    List<PodVerdict> matched = verdicts.stream().filter(v -> v.matchedAt() != null).toList();
    Instant first =
        matched.stream().map(PodVerdict::matchedAt).min(Comparator.naturalOrder()).orElse(null);
    List<PodVerdict> absent = verdicts.stream().filter(PodVerdict::absent).toList();
    String tally = matched.size() + " of " + pods.size() + " pods logged " + expected;
    if (!absent.isEmpty()) {
      return new LogCheckResult(
          check.getName(),
          CheckResult.Failed,
          matched.size(),
          pods.size(),
          first,
          now,
          null,
          tally
              + "; "
              + names(absent)
              + " did not within "
              + Durations.format(within)
              + " of starting");
    }
    if (matched.size() == pods.size()) {
      return new LogCheckResult(
          check.getName(),
          CheckResult.Passed,
          matched.size(),
          pods.size(),
          first,
          now,
          null,
          "every pod ("
              + pods.size()
              + ") logged "
              + expected
              + " within "
              + Durations.format(within)
              + " of starting");
    }
    List<PodVerdict> open =
        verdicts.stream().filter(v -> v.problem() == null && v.waitUntil() != null).toList();
    List<PodVerdict> problems = verdicts.stream().filter(v -> v.problem() != null).toList();
    List<String> parts = new ArrayList<>();
    parts.add(tally);
    if (!open.isEmpty()) {
      parts.add("waiting for " + names(open));
    }
    problems.stream().limit(NAMED_PODS).forEach(v -> parts.add(v.pod() + ": " + v.problem()));
    Instant decidable =
        problems.isEmpty()
            ? open.stream()
                .map(PodVerdict::waitUntil)
                .filter(Objects::nonNull)
                .max(Comparator.naturalOrder())
                .orElse(null)
            : null;
    return inconclusive(
        check, matched.size(), pods.size(), first, now, decidable, String.join("; ", parts));
  }

  /**
   * What one pod showed: matched at a time, absent, still open until a time, or a problem that
   * waiting does not solve.
   */
  private record PodVerdict(
      String pod, Instant matchedAt, boolean absent, Instant waitUntil, String problem) {}

  private PodVerdict podVerdict(
      String namespace, PodLogs.Pod pod, LogCheckSpec check, Duration within, Instant now) {
    String containerName =
        check.getContainer() == null ? pod.defaultContainer() : check.getContainer();
    PodLogs.Container container =
        pod.containers().stream()
            .filter(c -> c.name().equals(containerName))
            .findFirst()
            .orElse(null);
    if (container == null) {
      return new PodVerdict(
          pod.name(),
          null,
          false,
          null,
          "has no container "
              + containerName
              + " (spec.logChecks["
              + check.getName()
              + "].container)");
    }
    if (container.startedAt() == null) {
      return new PodVerdict(
          pod.name(), null, false, null, "container " + containerName + " has not started");
    }
    Instant start = container.startedAt();
    Instant deadline = start.plus(within);
    PodLogs.Read read = logs.read(namespace, pod.name(), containerName, start, MAX_LOG_BYTES);
    if (read instanceof PodLogs.ReadFailed failed) {
      return new PodVerdict(pod.name(), null, false, null, failed.failure().message());
    }
    PodLogs.Text text = (PodLogs.Text) read;
    LogScan.Outcome outcome =
        LogScan.scan(text.text(), text.truncated(), check.getContains(), start, deadline, now);
    if (outcome instanceof LogScan.Matched m) {
      return new PodVerdict(pod.name(), m.at(), false, null, null);
    }
    if (outcome instanceof LogScan.Absent) {
      return new PodVerdict(pod.name(), null, true, null, null);
    }
    if (outcome instanceof LogScan.Pending p) {
      return new PodVerdict(pod.name(), null, false, p.deadline(), null);
    }
    Instant readUntil = ((LogScan.CutShort) outcome).readUntil();
    return new PodVerdict(
        pod.name(),
        null,
        false,
        null,
        "the first "
            + MAX_LOG_BYTES / 1024
            + " KiB of its log"
            + (readUntil == null ? "" : " (up to " + readUntil + ")")
            + " do not hold it and reach no further");
  }

  private static String names(List<PodVerdict> verdicts) {
    String named =
        verdicts.stream()
            .limit(NAMED_PODS)
            .map(v -> "pod " + v.pod())
            .collect(Collectors.joining(", "));
    return verdicts.size() > NAMED_PODS
        ? named + " and " + (verdicts.size() - NAMED_PODS) + " more"
        : named;
  }

  private static LogCheckResult inconclusive(
      LogCheckSpec check,
      int matched,
      int seen,
      Instant first,
      Instant now,
      Instant decidable,
      String message) {
    return new LogCheckResult(
        check.getName(), CheckResult.Inconclusive, matched, seen, first, now, decidable, message);
  }
}
