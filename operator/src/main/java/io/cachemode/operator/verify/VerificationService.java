package io.cachemode.operator.verify;

import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.HealthCheckSpec;
import io.cachemode.operator.api.HealthCheckStatus;
import io.cachemode.operator.api.RateSample;
import io.cachemode.operator.api.RequestMetricsSpec;
import io.cachemode.operator.api.RequestsStatus;
import io.cachemode.operator.egress.Outbound;
import io.cachemode.operator.egress.Purpose;
import io.cachemode.operator.reconcile.Verification;
import io.cachemode.operator.support.Durations;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs a CacheMode's health checks and request measurements for the reconciler.
 *
 * <p>The start of an after-rollout window (for Redis, the GET counter at that moment) is kept in
 * memory, one entry per CacheMode. If the operator restarts or leadership moves while a window is
 * open, the new leader opens a fresh window: the verdict comes one window later, but it is never
 * computed from a guessed starting point.
 */
public final class VerificationService implements Verification {
  private static final String COMMAND = "GET";

  private final KubernetesClient client;
  private final HealthProbe probe;
  private final RequestMeterFactory meters;
  private final Clock clock;
  private final Map<String, OpenWindow> windows = new ConcurrentHashMap<>();

  private record OpenWindow(String flagHash, WindowStart start) {}

  /**
   * @param outbound the policy-checked connections: health checks, metrics and provider APIs each
   *     through their own purpose
   */
  public VerificationService(KubernetesClient client, Outbound outbound, Clock clock) {
    this.client = client;
    this.clock = clock;
    this.probe =
        new HealthProbe(outbound.http(Purpose.HealthCheck), clock, HealthProbe.Sleeper.real());
    this.meters = new RequestMeterFactory(outbound, RequestMeterFactory.DEFAULT_TIMEOUT);
  }

  @Override
  public List<HealthCheckStatus> health(CacheMode cm) {
    List<HealthCheckSpec> checks = cm.getSpec().getHealthChecks();
    return checks == null
        ? List.of()
        : checks.stream().map(probe::check).map(VerificationService::status).toList();
  }

  @Override
  public Optional<RequestsStatus> baseline(CacheMode cm) {
    RequestMetricsSpec spec = cm.getSpec().getRequestMetrics();
    if (spec == null) {
      return Optional.empty();
    }
    windows.remove(cm.getMetadata().getUid());
    RequestMeter meter = meter(cm);
    RequestsStatus status = new RequestsStatus();
    status.setSource(meter.source());
    status.setCommand(COMMAND);
    Measurement m = meter.baseline(clock.instant());
    if (m instanceof Measurement.Rate r) {
      status.setBefore(sample(r));
    } else if (m instanceof Measurement.Failure f) {
      status.setMessage("no baseline: " + f.kind() + ": " + f.message());
    }
    return Optional.of(status);
  }

  @Override
  public WindowProgress afterRollout(CacheMode cm, String flagHash, RequestsStatus before) {
    RequestMetricsSpec spec = cm.getSpec().getRequestMetrics();
    RequestMeter meter = meter(cm);
    Instant now = clock.instant();
    String uid = cm.getMetadata().getUid();
    OpenWindow open = windows.get(uid);
    if (open == null || !open.flagHash().equals(flagHash)) {
      open = new OpenWindow(flagHash, meter.startWindow(now));
      windows.put(uid, open);
    }
    Duration window = Durations.parse(spec.getWindow());
    Duration elapsed = Duration.between(open.start().at(), now);
    if (open.start() instanceof WindowStart.Opened && elapsed.compareTo(window) < 0) {
      return WindowProgress.waiting(window.minus(elapsed));
    }
    windows.remove(uid);
    Measurement after = meter.afterWindow(open.start(), now);
    RequestVerdicts.Judgement j =
        RequestVerdicts.judge(
            baselineOf(before), after, cm.getSpec().getSuspend(), spec.getExpectReductionPercent());
    RequestsStatus result = new RequestsStatus();
    result.setSource(before.getSource());
    result.setCommand(COMMAND);
    result.setBefore(before.getBefore());
    if (after instanceof Measurement.Rate r) {
      result.setAfter(sample(r));
    }
    result.setDeltaPercent(j.deltaPercent());
    result.setVerdict(j.verdict());
    result.setMessage(j.message());
    return WindowProgress.done(result);
  }

  private RequestMeter meter(CacheMode cm) {
    String ns = cm.getMetadata().getNamespace();
    return meters.create(
        cm.getSpec().getRequestMetrics(), (name, key) -> secretValue(ns, name, key));
  }

  private Optional<String> secretValue(String namespace, String name, String key) {
    Secret s = client.secrets().inNamespace(namespace).withName(name).get();
    if (s == null || s.getData() == null || !s.getData().containsKey(key)) {
      return Optional.empty();
    }
    return Optional.of(
        new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8));
  }

  /**
   * The baseline as recorded in status, so a verdict can be reached after an operator restart too.
   */
  private static Measurement baselineOf(RequestsStatus before) {
    RateSample b = before.getBefore();
    if (b == null) {
      return new Measurement.Failure(
          FailureKind.NoData,
          Optional.ofNullable(before.getMessage()).orElse("no baseline was measured"));
    }
    return new Measurement.Rate(
        b.getPerMinute(),
        Durations.parse(b.getWindow()),
        b.getMethod(),
        Instant.parse(b.getSampledAt()));
  }

  private static RateSample sample(Measurement.Rate r) {
    RateSample s = new RateSample();
    s.setPerMinute(Math.round(r.perMinute() * 10) / 10.0);
    s.setWindow(Durations.format(r.window()));
    s.setMethod(r.method());
    s.setSampledAt(r.sampledAt().toString());
    return s;
  }

  private static HealthCheckStatus status(HealthOutcome o) {
    HealthCheckStatus s = new HealthCheckStatus();
    s.setName(o.name());
    s.setResult(o.result());
    s.setHttpStatus(o.httpStatus());
    s.setLatencyMillis(o.latencyMillis());
    s.setAttempts(o.attempts());
    s.setCheckedAt(o.checkedAt().toString());
    s.setMessage(o.message());
    return s;
  }
}
