package io.cachemode.operator.verify;

import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.HealthCheckSpec;
import io.cachemode.operator.api.WorkloadReference;
import io.cachemode.operator.egress.Outbound;
import io.cachemode.operator.egress.Purpose;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** {@link Verifier} against the real outside systems: HTTP health endpoints and Redis meters. */
public final class VerificationService implements Verifier {
  private final KubernetesClient client;
  private final HealthProbe probe;
  private final RequestMeterFactory meters;
  private final Clock clock;
  private final LogChecks logChecks;

  /**
   * @param outbound the policy-checked connections: health checks, metrics and provider APIs each
   *     through their own purpose
   * @param podLogs where log checks read the restarted pods' logs (the API server's pods/log)
   */
  public VerificationService(
      KubernetesClient client, Outbound outbound, Clock clock, PodLogs podLogs) {
    this.client = client;
    this.clock = clock;
    this.logChecks = new LogChecks(podLogs, clock);
    this.probe =
        new HealthProbe(outbound.http(Purpose.HealthCheck), clock, HealthProbe.Sleeper.real());
    this.meters = new RequestMeterFactory(outbound, RequestMeterFactory.DEFAULT_TIMEOUT);
  }

  @Override
  public List<HealthOutcome> health(CacheMode cm) {
    List<HealthCheckSpec> checks = cm.getSpec().getHealthChecks();
    return checks == null ? List.of() : checks.stream().map(probe::check).toList();
  }

  @Override
  public List<LogCheckResult> logs(CacheMode cm, List<WorkloadReference> workloads) {
    return logChecks.evaluate(
        cm.getMetadata().getNamespace(), workloads, cm.getSpec().getLogChecks());
  }

  @Override
  public Measurement baseline(CacheMode cm) {
    return meter(cm).baseline(clock.instant());
  }

  @Override
  public WindowStart startWindow(CacheMode cm) {
    return meter(cm).startWindow(clock.instant());
  }

  @Override
  public WindowSample closeWindow(CacheMode cm, WindowStart start) {
    RequestMeter meter = meter(cm);
    Measurement rate = meter.afterWindow(start, clock.instant());
    return new WindowSample(rate, meter.startWindow(clock.instant()));
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
}
