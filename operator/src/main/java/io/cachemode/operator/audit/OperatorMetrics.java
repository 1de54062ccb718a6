package io.cachemode.operator.audit;

import io.cachemode.operator.api.CacheMode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The operator's own counters; Prometheus names are these with dots as underscores and a _total
 * suffix.
 */
public final class OperatorMetrics {
  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> ineffective = new ConcurrentHashMap<>();

  public OperatorMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** A phase change; {@code result} is the phase entered. */
  public void transition(String result) {
    counter("cachemode.transitions", "result", result).increment();
  }

  public void rollback(String result) {
    counter("cachemode.rollbacks", "result", result).increment();
  }

  public void healthCheck(String result) {
    counter("cachemode.health.checks", "result", result).increment();
  }

  public void requestVerdict(String verdict) {
    counter("cachemode.request.verdicts", "verdict", verdict).increment();
  }

  /** An Event not sent because the queue of Events waiting to be sent was full. */
  public void eventDropped() {
    registry.counter("cachemode.events.dropped").increment();
  }

  public void restart(String kind) {
    counter("cachemode.restarts", "kind", kind).increment();
  }

  /**
   * 1 while the CacheMode is Ineffective (applied, but the GETs say it did not take effect), 0
   * otherwise; the chart's PrometheusRule alerts on it.
   */
  public void ineffective(CacheMode cm, boolean ineffective) {
    ineffectiveGauge(cm).set(ineffective ? 1 : 0);
  }

  /** Drops the CacheMode's gauge once it is deleted. */
  public void forget(CacheMode cm) {
    AtomicInteger g = ineffective.remove(key(cm));
    if (g != null) {
      registry.find("cachemode.ineffective").tags(tags(cm)).meters().forEach(registry::remove);
    }
  }

  private AtomicInteger ineffectiveGauge(CacheMode cm) {
    return ineffective.computeIfAbsent(
        key(cm),
        k -> {
          AtomicInteger v = new AtomicInteger();
          Gauge.builder("cachemode.ineffective", v, AtomicInteger::get)
              .description("1 while the CacheMode's change did not take effect (phase Ineffective)")
              .tags(tags(cm))
              .register(registry);
          return v;
        });
  }

  private static String key(CacheMode cm) {
    return cm.getMetadata().getNamespace() + "/" + cm.getMetadata().getName();
  }

  private static Tags tags(CacheMode cm) {
    return Tags.of(
        "namespace", cm.getMetadata().getNamespace(), "name", cm.getMetadata().getName());
  }

  private Counter counter(String name, String tag, String value) {
    return Counter.builder(name).tag(tag, value).register(registry);
  }
}
