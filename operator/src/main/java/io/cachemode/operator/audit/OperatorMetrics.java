package io.cachemode.operator.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The operator's own counters; Prometheus names are these with dots as underscores and a _total
 * suffix.
 */
public final class OperatorMetrics {
  private final MeterRegistry registry;

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

  public void restart(String kind) {
    counter("cachemode.restarts", "kind", kind).increment();
  }

  private Counter counter(String name, String tag, String value) {
    return Counter.builder(name).tag(tag, value).register(registry);
  }
}
