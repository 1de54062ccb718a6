package io.cachemode.operator.it;

import io.cachemode.operator.app.LeaseTiming;
import io.cachemode.operator.app.OperatorMain;
import io.cachemode.operator.app.OperatorSettings;
import io.cachemode.operator.egress.OutboundPolicy;
import io.cachemode.operator.egress.Purpose;
import io.cachemode.operator.logging.LogFormat;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.event.Level;

/**
 * The operator running in the test JVM, watching one namespace (or several), started and stopped by
 * the test.
 */
public final class RunningOperator implements AutoCloseable {
  /** The test servers (Upstash, Fly, Prometheus, health endpoints) all listen on loopback. */
  static final OutboundPolicy LOOPBACK =
      OutboundPolicy.of(
          Arrays.stream(Purpose.values())
              .collect(Collectors.toMap(p -> p, p -> "localhost,127.0.0.0/8,::1")),
          false);

  private final Operator operator;
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  private RunningOperator(
      KubernetesClient client, Set<String> namespaces, OutboundPolicy outbound) {
    OperatorSettings settings =
        new OperatorSettings(
            namespaces,
            false,
            Optional.empty(),
            "unused",
            LeaseTiming.DEFAULTS,
            "test",
            0,
            LogFormat.TEXT,
            Level.INFO,
            4,
            8,
            outbound);
    operator = OperatorMain.start(settings, client, registry, Clock.systemUTC());
  }

  public static RunningOperator watching(KubernetesClient client, String namespace) {
    return new RunningOperator(client, Set.of(namespace), LOOPBACK);
  }

  /** An operator watching each of {@code namespaces}, as WATCH_NAMESPACES=a,b does. */
  public static RunningOperator watching(KubernetesClient client, Set<String> namespaces) {
    return new RunningOperator(client, namespaces, LOOPBACK);
  }

  /**
   * An operator whose outbound connections follow {@code outbound} instead of {@link #LOOPBACK}.
   */
  public static RunningOperator watching(
      KubernetesClient client, String namespace, OutboundPolicy outbound) {
    return new RunningOperator(client, Set.of(namespace), outbound);
  }

  public double counter(String name, String tag, String value) {
    var c = registry.find(name).tag(tag, value).counter();
    return c == null ? 0 : c.count();
  }

  @Override
  public void close() {
    operator.stop();
  }
}
