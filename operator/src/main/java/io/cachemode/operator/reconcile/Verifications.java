package io.cachemode.operator.reconcile;

import static io.cachemode.operator.api.Conditions.HEALTHY;
import static io.cachemode.operator.api.Conditions.LOGS_CONFIRMED;
import static io.cachemode.operator.api.Conditions.READY;
import static io.cachemode.operator.api.Conditions.REQUESTS_REDUCED;
import static io.cachemode.operator.api.Conditions.VERIFIED;

import io.cachemode.operator.api.CheckResult;
import io.cachemode.operator.api.CostStatus;
import io.cachemode.operator.api.HealthCheckStatus;
import io.cachemode.operator.api.LogCheckStatus;
import io.cachemode.operator.api.Phase;
import io.cachemode.operator.api.RateSample;
import io.cachemode.operator.api.Reasons;
import io.cachemode.operator.api.RequestMetricsSpec;
import io.cachemode.operator.api.RequestSample;
import io.cachemode.operator.api.RequestVerdict;
import io.cachemode.operator.api.RequestsStatus;
import io.cachemode.operator.api.TransitionStatus;
import io.cachemode.operator.api.WindowStartStatus;
import io.cachemode.operator.support.Durations;
import io.cachemode.operator.verify.FailureKind;
import io.cachemode.operator.verify.HealthOutcome;
import io.cachemode.operator.verify.LogCheckResult;
import io.cachemode.operator.verify.Measurement;
import io.cachemode.operator.verify.RateSamples;
import io.cachemode.operator.verify.RequestVerdicts;
import io.cachemode.operator.verify.VerificationJobs;
import io.cachemode.operator.verify.Verifier.WindowSample;
import io.cachemode.operator.verify.WindowStart;
import io.cachemode.operator.verify.WindowStarts;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The verification half of the phase machine: health checks, then the GET-rate window, then the
 * verdict (DESIGN §1 "what done means"), and the watch that keeps sampling afterwards. Pure: jobs
 * are asked for as actions and their results arrive in the observation.
 */
final class Verifications {
  /** Samples kept in status while watching: four days at the default 15m interval... bounded. */
  static final int MAX_SAMPLES = 96;

  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(30);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  private final Step s;
  private final BiFunction<String, String, Decision> fail;
  private final Function<Boolean, Decision> settle;
  private final Supplier<Decision> rolledBack;

  Verifications(
      Step s,
      BiFunction<String, String, Decision> fail,
      Function<Boolean, Decision> settle,
      Supplier<Decision> rolledBack) {
    this.s = s;
    this.fail = fail;
    this.settle = settle;
    this.rolledBack = rolledBack;
  }

  /** Clears what a new transition (or a rollback) must measure again. */
  static void reset(StatusBuilder b) {
    resetHealth(b);
    b.clearCondition(REQUESTS_REDUCED);
    b.clearCondition(VERIFIED);
  }

  static void resetHealth(StatusBuilder b) {
    b.next().setHealthChecks(new ArrayList<>());
    b.next().setHealth(null);
    b.next().setLogChecks(new ArrayList<>());
    b.clearCondition(HEALTHY);
    b.clearCondition(LOGS_CONFIRMED);
    if (b.transition() != null) {
      b.transition().setVerifyingSince(null);
    }
  }

  static RequestsStatus newRequests(RequestMetricsSpec spec) {
    RequestsStatus r = new RequestsStatus();
    r.setSource(
        spec.getRedis() != null ? "redis" : spec.getUpstash() != null ? "upstash" : "prometheus");
    r.setCommand("GET");
    return r;
  }

  static void recordBaseline(StatusBuilder b, Measurement m, RequestMetricsSpec spec) {
    RequestsStatus r = b.next().getRequests();
    if (m instanceof Measurement.Rate rate) {
      r.setBefore(RateSamples.of(rate));
    } else if (m instanceof Measurement.Failure f) {
      r.setMessage("no baseline: " + f.kind() + ": " + f.message());
    }
    r.setCost(cost(spec, r.getBefore(), null));
  }

  Decision verify(boolean rollingBack) {
    StatusBuilder b = s.status;
    TransitionStatus t = b.transition();
    if (t.getNextAttemptAt() != null) {
      Instant retryAt = Instant.parse(t.getNextAttemptAt());
      if (s.now().isBefore(retryAt)) {
        s.lookAgainAt(retryAt);
        return s.decision();
      }
      t.setNextAttemptAt(null);
      t.setAttempt(t.getAttempt() + 1);
      retryInconclusive(b);
    }
    List<String> waiting = new ArrayList<>();
    healthStep(waiting);
    logStep(waiting);
    if (judgesRequests(rollingBack)) {
      requestStep(waiting);
    }
    if (!waiting.isEmpty()) {
      String message = "waiting for " + String.join(", ", waiting);
      b.unknown(VERIFIED, Reasons.VERIFYING, message);
      b.condition(READY, false, rollingBack ? Reasons.ROLLING_BACK : Reasons.VERIFYING, message);
      s.lookAgainAfter(VerificationJobs.SAFETY_RECHECK);
      return s.decision();
    }
    if (b.next().getHealth() == CheckResult.Failed) {
      b.condition(VERIFIED, false, Reasons.HEALTH_CHECK_FAILED, healthSummary(b));
      return fail.apply(Reasons.HEALTH_CHECK_FAILED, healthSummary(b));
    }
    if (logsOverall(b) == CheckResult.Failed) {
      b.condition(VERIFIED, false, Reasons.LOG_CHECK_FAILED, logSummary(b));
      return fail.apply(Reasons.LOG_CHECK_FAILED, logSummary(b));
    }
    if (rollingBack) {
      List<String> missing = new ArrayList<>();
      if (b.next().getHealth() == CheckResult.Inconclusive) {
        missing.add("health checks: " + healthSummary(b));
      }
      if (logsOverall(b) == CheckResult.Inconclusive) {
        missing.add("log checks: " + logSummary(b));
      }
      return missing.isEmpty() ? rolledBack.get() : inconclusive(missing, true);
    }
    return judge();
  }

  /** Suspended, Active or Ineffective: keep sampling the GET rate until watchFor has passed. */
  Decision watch() {
    RequestsStatus r = s.status.next().getRequests();
    if (s.spec.getRequestMetrics() == null || r == null || r.getWatchUntil() == null) {
      return s.decision();
    }
    Instant until = Instant.parse(r.getWatchUntil());
    if (!s.now().isBefore(until)) {
      return s.decision();
    }
    if (r.getWindowStart() == null) {
      Optional<WindowStart> opened = s.obs.checks().windowStart();
      if (opened.isEmpty()) {
        s.act(
            new Action.RunCheck(
                Check.WINDOW_START, Check.WINDOW_START.id(s.status.next()).orElseThrow()));
        s.lookAgainAfter(VerificationJobs.SAFETY_RECHECK);
        return s.decision();
      }
      r.setWindowStart(windowStart(opened.get()));
    }
    Instant due =
        Instant.parse(r.getWindowStart().getAt())
            .plus(Durations.parse(s.spec.getRequestMetrics().getInterval()));
    if (s.now().isBefore(due)) {
      s.lookAgainAt(due.isBefore(until) ? due : until);
      return s.decision();
    }
    Optional<WindowSample> sample = s.obs.checks().window();
    if (sample.isEmpty()) {
      s.act(
          new Action.RunCheck(
              Check.WINDOW_END, Check.WINDOW_END.id(s.status.next()).orElseThrow()));
      s.lookAgainAfter(VerificationJobs.SAFETY_RECHECK);
      return s.decision();
    }
    return watchSample(r, sample.get());
  }

  private Decision watchSample(RequestsStatus r, WindowSample sample) {
    RequestSample point = new RequestSample();
    point.setTime(s.now().toString());
    if (sample.rate() instanceof Measurement.Rate rate) {
      point.setPerMinute(round(rate.perMinute()));
    } else if (sample.rate() instanceof Measurement.Failure f) {
      point.setMessage(f.kind() + ": " + f.message());
    }
    List<RequestSample> samples =
        new ArrayList<>(r.getSamples() == null ? List.of() : r.getSamples());
    samples.add(point);
    r.setSamples(
        new ArrayList<>(
            samples.subList(Math.max(0, samples.size() - MAX_SAMPLES), samples.size())));
    r.setWindowStart(
        sample.next() instanceof WindowStart.Opened ? windowStart(sample.next()) : null);
    s.lookAgainAfter(Durations.parse(s.spec.getRequestMetrics().getInterval()));
    if (!(sample.rate() instanceof Measurement.Rate)) {
      return s.decision();
    }
    RequestVerdicts.Judgement j = judgement(sample.rate());
    Phase phase = s.status.phase();
    if (phase == Phase.Suspended && j.verdict() == RequestVerdict.NotReduced) {
      r.setVerdict(RequestVerdict.Returned);
      r.setMessage("while watching: " + j.message());
      s.status.condition(REQUESTS_REDUCED, false, Reasons.REQUESTS_RETURNED, r.getMessage());
      s.warning(Reasons.REQUESTS_RETURNED, r.getMessage());
      return ineffective(Reasons.REQUESTS_RETURNED, r.getMessage());
    }
    boolean recovered =
        phase == Phase.Ineffective
            && (j.verdict() == RequestVerdict.Reduced || j.verdict() == RequestVerdict.Resumed);
    if (recovered) {
      r.setVerdict(j.verdict());
      r.setMessage("while watching: " + j.message());
      s.status.condition(REQUESTS_REDUCED, true, j.verdict().name(), r.getMessage());
      s.normal("Requests" + j.verdict(), "the effect showed up later: " + j.message());
      return verified();
    }
    return s.decision();
  }

  private void healthStep(List<String> waiting) {
    StatusBuilder b = s.status;
    if (s.spec.getHealthChecks() == null || s.spec.getHealthChecks().isEmpty()) {
      return;
    }
    if (!b.next().getHealthChecks().isEmpty()) {
      return;
    }
    Optional<List<HealthOutcome>> outcomes = s.obs.checks().health();
    if (outcomes.isEmpty()) {
      s.act(new Action.RunCheck(Check.HEALTH, Check.HEALTH.id(b.next()).orElseThrow()));
      waiting.add("health checks");
      return;
    }
    List<HealthCheckStatus> results = outcomes.get().stream().map(Verifications::status).toList();
    b.next().setHealthChecks(new ArrayList<>(results));
    CheckResult overall = overall(results);
    b.next().setHealth(overall);
    String summary = healthSummary(b);
    switch (overall) {
      case Passed -> {
        b.condition(HEALTHY, true, "HealthChecksPassed", summary);
        s.normal("HealthChecksPassed", summary);
      }
      case Failed -> {
        b.condition(HEALTHY, false, Reasons.HEALTH_CHECK_FAILED, summary);
        s.warning(Reasons.HEALTH_CHECK_FAILED, summary);
      }
      case Inconclusive -> {
        b.unknown(HEALTHY, "HealthCheckInconclusive", summary);
        s.warning("HealthCheckInconclusive", summary);
      }
    }
  }

  /**
   * The runbook's third step: every pod the restart created logged the expected line. A check still
   * inside some pod's window is read again when the window closes, not counted as missing evidence.
   */
  private void logStep(List<String> waiting) {
    StatusBuilder b = s.status;
    if (s.spec.getLogChecks() == null || s.spec.getLogChecks().isEmpty()) {
      return;
    }
    List<LogCheckStatus> recorded = b.next().getLogChecks();
    Optional<Instant> retryAt = retryAt(recorded);
    boolean decided = !recorded.isEmpty() && retryAt.isEmpty();
    if (decided) {
      return;
    }
    if (retryAt.isPresent() && s.now().isBefore(retryAt.get())) {
      waiting.add("log checks (pods still within their window until " + retryAt.get() + ")");
      s.lookAgainAt(retryAt.get());
      return;
    }
    Optional<List<LogCheckResult>> results = s.obs.checks().logs();
    if (results.isEmpty()) {
      s.act(new Action.RunCheck(Check.LOGS, Check.LOGS.id(b.next()).orElseThrow()));
      waiting.add("log checks");
      return;
    }
    List<LogCheckStatus> now = results.get().stream().map(LogCheckResult::toStatus).toList();
    b.next().setLogChecks(new ArrayList<>(now));
    Optional<Instant> open = retryAt(now);
    if (open.isPresent()) {
      waiting.add("log checks (pods still within their window until " + open.get() + ")");
      s.lookAgainAt(open.get());
      return;
    }
    String summary = logSummary(b);
    switch (logsOverall(b)) {
      case Passed -> {
        b.condition(LOGS_CONFIRMED, true, "LogChecksPassed", summary);
        s.normal("LogChecksPassed", summary);
      }
      case Failed -> {
        b.condition(LOGS_CONFIRMED, false, Reasons.LOG_CHECK_FAILED, summary);
        s.warning(Reasons.LOG_CHECK_FAILED, summary);
      }
      case Inconclusive -> {
        b.unknown(LOGS_CONFIRMED, "LogCheckInconclusive", summary);
        s.warning("LogCheckInconclusive", summary);
      }
    }
  }

  /** The latest time a still-open log check wants to be read again, if any is still open. */
  private static Optional<Instant> retryAt(List<LogCheckStatus> checks) {
    return checks.stream()
        .map(LogCheckStatus::getRetryAt)
        .filter(java.util.Objects::nonNull)
        .map(Instant::parse)
        .max(Instant::compareTo);
  }

  private static CheckResult logsOverall(StatusBuilder b) {
    List<LogCheckStatus> recorded = b.next().getLogChecks();
    if (recorded == null || recorded.isEmpty()) {
      return null;
    }
    if (recorded.stream().anyMatch(r -> r.getResult() == CheckResult.Failed)) {
      return CheckResult.Failed;
    }
    if (recorded.stream().anyMatch(r -> r.getResult() != CheckResult.Passed)) {
      return CheckResult.Inconclusive;
    }
    return CheckResult.Passed;
  }

  private static String logSummary(StatusBuilder b) {
    return b.next().getLogChecks().stream()
        .map(
            r ->
                r.getName()
                    + " "
                    + r.getResult()
                    + (r.getMessage() == null ? "" : ": " + r.getMessage()))
        .collect(Collectors.joining("; "));
  }

  private boolean judgesRequests(boolean rollingBack) {
    RequestMetricsSpec m = s.spec.getRequestMetrics();
    return m != null
        && !rollingBack
        && (s.status.transition().getSuspend() || !Boolean.FALSE.equals(m.getExpectResumed()));
  }

  private void requestStep(List<String> waiting) {
    RequestsStatus r = s.status.next().getRequests();
    if (r.getVerdict() != null) {
      return;
    }
    if (r.getWindowStart() == null) {
      Optional<WindowStart> opened = s.obs.checks().windowStart();
      if (opened.isEmpty()) {
        s.act(
            new Action.RunCheck(
                Check.WINDOW_START, Check.WINDOW_START.id(s.status.next()).orElseThrow()));
        waiting.add("the GET-rate window to open");
        return;
      }
      if (opened.get() instanceof WindowStart.Unavailable u) {
        recordVerdict(r, new WindowSample(u.failure(), u));
        return;
      }
      r.setWindowStart(windowStart(opened.get()));
    }
    Duration window = Durations.parse(s.spec.getRequestMetrics().getWindow());
    Instant end = Instant.parse(r.getWindowStart().getAt()).plus(window);
    if (s.now().isBefore(end)) {
      waiting.add("the GET-rate window (" + Durations.format(window) + ", ends " + end + ")");
      s.lookAgainAt(end);
      return;
    }
    Optional<WindowSample> closed = s.obs.checks().window();
    if (closed.isEmpty()) {
      s.act(
          new Action.RunCheck(
              Check.WINDOW_END, Check.WINDOW_END.id(s.status.next()).orElseThrow()));
      waiting.add("the GET-rate measurement");
      return;
    }
    recordVerdict(r, closed.get());
  }

  private void recordVerdict(RequestsStatus r, WindowSample sample) {
    RequestMetricsSpec spec = s.spec.getRequestMetrics();
    RequestVerdicts.Judgement j = judgement(sample.rate());
    r.setAfter(sample.rate() instanceof Measurement.Rate rate ? RateSamples.of(rate) : null);
    r.setDeltaPercent(j.deltaPercent());
    r.setVerdict(j.verdict());
    r.setMessage(j.message());
    r.setJudgedAt(s.now().toString());
    r.setWindowStart(
        sample.next() instanceof WindowStart.Opened ? windowStart(sample.next()) : null);
    r.setCost(cost(spec, r.getBefore(), r.getAfter()));
    Duration watchFor = Durations.parse(spec.getWatchFor());
    r.setWatchUntil(
        j.verdict() == RequestVerdict.Inconclusive || watchFor.isZero()
            ? null
            : s.now().plus(watchFor).toString());
    if (r.getWatchUntil() != null) {
      // Nothing else wakes a settled CacheMode: the first watch sample is due one interval on.
      s.lookAgainAfter(Durations.parse(spec.getInterval()));
    }
    switch (j.verdict()) {
      case Reduced, Resumed -> {
        s.status.condition(REQUESTS_REDUCED, true, j.verdict().name(), j.message());
        s.normal("Requests" + j.verdict(), j.message());
      }
      case Inconclusive -> {
        s.status.unknown(REQUESTS_REDUCED, j.verdict().name(), j.message());
        s.warning("RequestsInconclusive", j.message());
      }
      default -> {
        s.status.condition(REQUESTS_REDUCED, false, j.verdict().name(), j.message());
        s.warning("Requests" + j.verdict(), j.message());
      }
    }
  }

  /** Every result is in: disproven, inconclusive, verified, or nothing configured. */
  private Decision judge() {
    StatusBuilder b = s.status;
    boolean health = b.next().getHealth() != null;
    CheckResult logs = logsOverall(b);
    RequestsStatus r = b.next().getRequests();
    RequestVerdict verdict = judgesRequests(false) && r != null ? r.getVerdict() : null;
    if (!health && logs == null && verdict == null) {
      b.unknown(
          VERIFIED,
          Reasons.NOT_CONFIGURED,
          "no health checks, log checks or request metrics are configured: nothing was verified");
      return settle.apply(false);
    }
    if (verdict == RequestVerdict.NotReduced || verdict == RequestVerdict.NotResumed) {
      String reason =
          verdict == RequestVerdict.NotReduced
              ? Reasons.REQUESTS_NOT_REDUCED
              : Reasons.REQUESTS_NOT_RESUMED;
      return ineffective(reason, r.getMessage());
    }
    List<String> missing = new ArrayList<>();
    if (b.next().getHealth() == CheckResult.Inconclusive) {
      missing.add("health checks: " + healthSummary(b));
    }
    if (logs == CheckResult.Inconclusive) {
      missing.add("log checks: " + logSummary(b));
    }
    if (verdict == RequestVerdict.Inconclusive) {
      missing.add("GET rate: " + r.getMessage());
    }
    if (!missing.isEmpty()) {
      return inconclusive(missing, false);
    }
    return verified();
  }

  private Decision verified() {
    StatusBuilder b = s.status;
    List<String> passed = new ArrayList<>();
    if (b.next().getHealth() == CheckResult.Passed) {
      passed.add("health checks passed");
    }
    if (logsOverall(b) == CheckResult.Passed) {
      passed.add("log checks passed");
    }
    RequestsStatus r = b.next().getRequests();
    if (r != null && r.getVerdict() != null && judgesRequests(false)) {
      passed.add("GET rate " + r.getVerdict() + ": " + r.getMessage());
    }
    b.condition(VERIFIED, true, Reasons.VERIFIED, String.join("; ", passed));
    return settle.apply(true);
  }

  /**
   * The measurements say the change did not take effect. Not rolled back: see Phase.Ineffective.
   */
  private Decision ineffective(String reason, String message) {
    StatusBuilder b = s.status;
    b.condition(VERIFIED, false, reason, message);
    b.phase(Phase.Ineffective, reason, message);
    b.condition(
        READY,
        false,
        Reasons.INEFFECTIVE,
        "suspend="
            + b.transition().getSuspend()
            + " was applied and the workloads restarted, but it did not take effect: "
            + message
            + (b.next().getRequests().getWatchUntil() == null
                ? ""
                : "; re-measured every "
                    + s.spec.getRequestMetrics().getInterval()
                    + " until "
                    + b.next().getRequests().getWatchUntil()));
    return s.decision();
  }

  private Decision inconclusive(List<String> missing, boolean rollingBack) {
    StatusBuilder b = s.status;
    TransitionStatus t = b.transition();
    Instant deadline =
        Instant.parse(t.getVerifyingSince())
            .plus(Durations.parse(s.spec.getVerification().getDeadline()));
    boolean late = !s.now().isBefore(deadline);
    String reason = late ? Reasons.INCONCLUSIVE_AFTER_DEADLINE : Reasons.INCONCLUSIVE;
    Duration backoff = backoff(t.getAttempt());
    Instant retry = s.now().plus(backoff);
    t.setNextAttemptAt(retry.toString());
    String message =
        "evidence is missing ("
            + String.join("; ", missing)
            + ")"
            + (late
                ? "; still missing after the "
                    + s.spec.getVerification().getDeadline()
                    + " deadline"
                : "")
            + "; trying again in "
            + Durations.format(backoff);
    boolean reasonChanged =
        b.previous().getConditions().stream()
            .noneMatch(c -> c.getType().equals(VERIFIED) && reason.equals(c.getReason()));
    if (late && reasonChanged) {
      s.warning(Reasons.INCONCLUSIVE_AFTER_DEADLINE, message);
    }
    b.unknown(VERIFIED, reason, message);
    b.condition(READY, false, rollingBack ? Reasons.ROLLING_BACK : reason, message);
    s.lookAgainAt(retry);
    return s.decision();
  }

  /** Drops the inconclusive results so the retry measures them again; conclusive ones stay. */
  private static void retryInconclusive(StatusBuilder b) {
    if (b.next().getHealth() == CheckResult.Inconclusive) {
      b.next().setHealthChecks(new ArrayList<>());
      b.next().setHealth(null);
    }
    if (logsOverall(b) == CheckResult.Inconclusive) {
      b.next().setLogChecks(new ArrayList<>());
    }
    RequestsStatus r = b.next().getRequests();
    if (r != null && r.getVerdict() == RequestVerdict.Inconclusive) {
      r.setVerdict(null);
      r.setAfter(null);
      r.setDeltaPercent(null);
      r.setWindowStart(null);
    }
  }

  static Duration backoff(int attempt) {
    Duration d = FIRST_BACKOFF.multipliedBy(1L << Math.min(attempt, 10));
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }

  private RequestVerdicts.Judgement judgement(Measurement after) {
    RequestMetricsSpec spec = s.spec.getRequestMetrics();
    RequestsStatus r = s.status.next().getRequests();
    return RequestVerdicts.judge(
        baseline(r),
        after,
        s.status.transition().getSuspend(),
        spec.getExpectReductionPercent(),
        !Boolean.FALSE.equals(spec.getExpectResumed()));
  }

  /** The baseline as recorded in status, so a verdict can be reached after an operator restart. */
  private static Measurement baseline(RequestsStatus r) {
    RateSample b = r.getBefore();
    if (b == null) {
      return new Measurement.Failure(
          FailureKind.NoData,
          Optional.ofNullable(r.getMessage()).orElse("no baseline was measured"));
    }
    return new Measurement.Rate(
        b.getPerMinute(),
        Durations.parse(b.getWindow()),
        b.getMethod(),
        Optional.ofNullable(b.getReason()).orElse(""),
        Instant.parse(b.getSampledAt()),
        Boolean.TRUE.equals(b.getCapped()));
  }

  /** A window start as kept in status. */
  static WindowStartStatus windowStart(WindowStart w) {
    return WindowStarts.toStatus(w);
  }

  private static CostStatus cost(RequestMetricsSpec spec, RateSample before, RateSample after) {
    if (spec.getPricePer100kRequests() == null) {
      return null;
    }
    BigDecimal price = new BigDecimal(spec.getPricePer100kRequests());
    CostStatus c = new CostStatus();
    c.setPricePer100kRequests(spec.getPricePer100kRequests());
    c.setBeforePerMonth(monthly(price, before));
    c.setAfterPerMonth(monthly(price, after));
    return c;
  }

  /** 30 days of requests at the sample's daily rate, priced per 100,000. */
  private static String monthly(BigDecimal price, RateSample rate) {
    if (rate == null || rate.getPerDay() == null) {
      return null;
    }
    return BigDecimal.valueOf(rate.getPerDay())
        .multiply(BigDecimal.valueOf(30))
        .multiply(price)
        .divide(BigDecimal.valueOf(100_000), 2, RoundingMode.HALF_UP)
        .toPlainString();
  }

  private static double round(double perMinute) {
    return Math.round(perMinute * 10) / 10.0;
  }

  private static HealthCheckStatus status(HealthOutcome o) {
    HealthCheckStatus out = new HealthCheckStatus();
    out.setName(o.name());
    out.setResult(o.result());
    out.setHttpStatus(o.httpStatus());
    out.setLatencyMillis(o.latencyMillis());
    out.setAttempts(o.attempts());
    out.setCheckedAt(o.checkedAt().toString());
    out.setMessage(o.message());
    return out;
  }

  private static CheckResult overall(List<HealthCheckStatus> results) {
    if (results.stream().anyMatch(r -> r.getResult() == CheckResult.Failed)) {
      return CheckResult.Failed;
    }
    if (results.stream().anyMatch(r -> r.getResult() != CheckResult.Passed)) {
      return CheckResult.Inconclusive;
    }
    return CheckResult.Passed;
  }

  private static String healthSummary(StatusBuilder b) {
    return b.next().getHealthChecks().stream()
        .map(
            r ->
                r.getName()
                    + " "
                    + r.getResult()
                    + (r.getMessage() == null ? "" : ": " + r.getMessage()))
        .collect(Collectors.joining("; "));
  }
}
