package io.cachemode.operator.reconcile;

import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.CheckResult;
import io.cachemode.operator.api.WorkloadReference;
import io.cachemode.operator.verify.FailureKind;
import io.cachemode.operator.verify.HealthOutcome;
import io.cachemode.operator.verify.LogCheckResult;
import io.cachemode.operator.verify.Measurement;
import io.cachemode.operator.verify.Verifier;
import io.cachemode.operator.verify.WindowStart;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/** Verification results the test sets; counts the calls so tests see what was measured. */
final class FakeVerifier implements Verifier {
  private final Supplier<Instant> clock;
  CheckResult health = CheckResult.Passed;

  /** GET/min before the change; null for an unreachable meter. */
  Double before = 1500.0;

  /** GET/min over the next closed window; null for an unreachable meter. */
  Double after = 0.0;

  int healthRuns;
  int baselines;
  int windowsClosed;

  FakeVerifier(Supplier<Instant> clock) {
    this.clock = clock;
  }

  @Override
  public List<HealthOutcome> health(CacheMode cm) {
    healthRuns++;
    return List.of(
        new HealthOutcome(
            "api",
            health,
            health == CheckResult.Inconclusive ? null : health == CheckResult.Passed ? 200 : 503,
            12,
            1,
            clock.get(),
            health == CheckResult.Passed ? null : "expected status 200, got 503"));
  }

  /** The log check's result; {@code logRetryAt} makes it still-open (Inconclusive) until then. */
  CheckResult logs = CheckResult.Passed;

  Instant logRetryAt;
  int logRuns;

  @Override
  public List<LogCheckResult> logs(CacheMode cm, List<WorkloadReference> workloads) {
    logRuns++;
    Instant now = clock.get();
    boolean open = logRetryAt != null && now.isBefore(logRetryAt);
    CheckResult result = open ? CheckResult.Inconclusive : logs;
    return List.of(
        new LogCheckResult(
            "suspended",
            result,
            result == CheckResult.Passed ? workloads.size() : 0,
            workloads.size(),
            result == CheckResult.Passed ? now : null,
            now,
            open ? logRetryAt : null,
            result == CheckResult.Passed
                ? "every pod logged it"
                : "no pod logged \"REDIS SUSPENDED\""));
  }

  @Override
  public Measurement baseline(CacheMode cm) {
    baselines++;
    return before == null
        ? new Measurement.Failure(FailureKind.Unreachable, "connection refused")
        : new Measurement.Rate(
            before, Duration.ofMinutes(5), "CommandStats", "GET counter delta", clock.get());
  }

  @Override
  public WindowStart startWindow(CacheMode cm) {
    return after == null
        ? new WindowStart.Unavailable(
            clock.get(), new Measurement.Failure(FailureKind.Unreachable, "connection refused"))
        : new WindowStart.Opened(clock.get(), "CommandStats", 1000L, 50L);
  }

  @Override
  public WindowSample closeWindow(CacheMode cm, WindowStart start) {
    windowsClosed++;
    Measurement rate =
        after == null
            ? new Measurement.Failure(FailureKind.Unreachable, "connection refused")
            : new Measurement.Rate(
                after,
                Duration.between(start.at(), clock.get()),
                "CommandStats",
                "GET counter delta",
                clock.get());
    return new WindowSample(rate, startWindow(cm));
  }
}
