package io.cachemode.operator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachemode.operator.api.PrometheusMetricsSpec;
import io.cachemode.operator.api.RedisCountMethod;
import io.cachemode.operator.api.RedisMetricsSpec;
import io.cachemode.operator.api.RequestMetricsSpec;
import io.cachemode.operator.api.SecretKeySelector;
import io.cachemode.operator.api.UpstashCredentialsRef;
import io.cachemode.operator.api.UpstashMetricsSpec;
import io.cachemode.operator.egress.Outbound;
import io.cachemode.operator.egress.OutboundPolicy;
import io.cachemode.operator.egress.Resolver;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class RequestMeterFactoryTest {

  private static final Instant NOW = Instant.parse("2026-09-02T10:00:00Z");

  private final RequestMeterFactory factory =
      new RequestMeterFactory(
          new Outbound(OutboundPolicy.of(Map.of(), false), Resolver.system(), new OkHttpClient()),
          Duration.ofSeconds(1));

  private static SecretValues secrets(Map<String, Map<String, String>> data) {
    return (name, key) -> Optional.ofNullable(data.getOrDefault(name, Map.of()).get(key));
  }

  private static RequestMetricsSpec redis(String secret, String key) {
    RedisMetricsSpec redis = new RedisMetricsSpec();
    redis.setAddressSecretRef(new SecretKeySelector(secret, key));
    RequestMetricsSpec spec = new RequestMetricsSpec();
    spec.setRedis(redis);
    return spec;
  }

  private static RequestMetricsSpec upstash() {
    UpstashCredentialsRef ref = new UpstashCredentialsRef();
    ref.setName("upstash-api");
    UpstashMetricsSpec upstash = new UpstashMetricsSpec();
    upstash.setDatabaseId("db-1");
    upstash.setCredentialsSecretRef(ref);
    RequestMetricsSpec spec = new RequestMetricsSpec();
    spec.setUpstash(upstash);
    return spec;
  }

  /** A misconfigured meter answers the same failure from every method, without a request. */
  private static void assertMisconfigured(RequestMeter meter, String source, String message) {
    Measurement.Failure expected = new Measurement.Failure(FailureKind.Misconfigured, message);
    assertThat(meter.source()).isEqualTo(source);
    assertThat(meter.baseline(NOW)).isEqualTo(expected);
    assertThat(meter.startWindow(NOW)).isEqualTo(new WindowStart.Unavailable(NOW, expected));
    assertThat(meter.afterWindow(WindowStart.Opened.withoutCounter(NOW, null), NOW))
        .isEqualTo(expected);
  }

  @Test
  void buildsTheMeterTheSpecNames() {
    RequestMetricsSpec prometheusSpec = new RequestMetricsSpec();
    PrometheusMetricsSpec prometheus = new PrometheusMetricsSpec();
    prometheus.setUrl("http://prometheus.monitoring.svc:9090");
    prometheus.setQuery("sum(rate(redis_commands_total{cmd=\"get\"}[5m]))");
    prometheusSpec.setPrometheus(prometheus);
    SecretValues values =
        secrets(
            Map.of(
                "redis-conn", Map.of("url", "redis://:pw@redis.atom.svc:6379/0"),
                "upstash-api", Map.of("email", "ops@example.com", "apiKey", "k")));

    assertThat(factory.create(redis("redis-conn", "url"), values))
        .isInstanceOf(RedisAutoMeter.class)
        .extracting(RequestMeter::source)
        .isEqualTo("redis");
    assertThat(factory.create(upstash(), values))
        .isInstanceOf(UpstashRequestMeter.class)
        .extracting(RequestMeter::source)
        .isEqualTo("upstash");
    assertThat(factory.create(prometheusSpec, values))
        .isInstanceOf(PrometheusRequestMeter.class)
        .extracting(RequestMeter::source)
        .isEqualTo("prometheus");
  }

  @Test
  void eachRedisMethodHasItsMeterAndTimingWithoutAsking() {
    SecretValues values = secrets(Map.of("redis-conn", Map.of("url", "rediss://u:pw@redis:6380")));
    RequestMetricsSpec spec = redis("redis-conn", "url");
    spec.setSampleWindow("45s");

    spec.getRedis().setMethod(RedisCountMethod.CommandStats);
    RequestMeter commandStats = factory.create(spec, values);
    spec.getRedis().setMethod(RedisCountMethod.Keyspace);
    RequestMeter keyspace = factory.create(spec, values);
    spec.getRedis().setMethod(RedisCountMethod.Monitor);
    RequestMeter monitor = factory.create(spec, values);

    assertThat(commandStats).isInstanceOf(RedisCounterMeter.class);
    assertThat(commandStats.baselineTiming()).isEqualTo(Timing.instant());
    assertThat(keyspace).isInstanceOf(RedisCounterMeter.class);
    assertThat(keyspace.baselineTiming()).isEqualTo(Timing.instant());
    assertThat(monitor).isInstanceOf(RedisMonitorMeter.class);
    assertThat(monitor.baselineTiming()).isEqualTo(Timing.sample(Duration.ofSeconds(45)));
    WindowStart opened = monitor.startWindow(NOW);
    assertThat(opened).isEqualTo(WindowStart.Opened.withoutCounter(NOW, "Monitor"));
    assertThat(monitor.afterWindowTiming(opened)).isEqualTo(Timing.sample(Duration.ofSeconds(45)));
  }

  @Test
  void prometheusBearerTokenMustBeInItsSecret() {
    RequestMetricsSpec spec = new RequestMetricsSpec();
    PrometheusMetricsSpec prometheus = new PrometheusMetricsSpec();
    prometheus.setUrl("http://prometheus.monitoring.svc:9090");
    prometheus.setQuery("sum(rate(redis_commands_total{cmd=\"get\"}[5m]))");
    prometheus.setBearerTokenSecretRef(new SecretKeySelector("prom-token", "token"));
    spec.setPrometheus(prometheus);

    assertMisconfigured(
        factory.create(spec, secrets(Map.of())),
        "prometheus",
        "Secret prom-token has no key token");
    assertMisconfigured(
        factory.create(spec, secrets(Map.of("prom-token", Map.of("token", "a\nb")))),
        "prometheus",
        "Secret prom-token key token holds characters a bearer token cannot have");
    assertThat(factory.create(spec, secrets(Map.of("prom-token", Map.of("token", "t0k\n")))))
        .isInstanceOf(PrometheusRequestMeter.class);
  }

  @Test
  void missingSecretKeyIsMisconfigured() {
    assertMisconfigured(
        factory.create(redis("redis-conn", "url"), secrets(Map.of())),
        "redis",
        "Secret redis-conn has no key url");
    assertMisconfigured(
        factory.create(
            upstash(), secrets(Map.of("upstash-api", Map.of("email", "ops@example.com")))),
        "upstash",
        "Secret upstash-api has no key apiKey");
  }

  @Test
  void unusableRedisUrlIsMisconfiguredWithoutQuotingIt() {
    String value = "http://:hunter2@redis:6379";

    RequestMeter meter =
        factory.create(
            redis("redis-conn", "url"), secrets(Map.of("redis-conn", Map.of("url", value))));

    assertMisconfigured(
        meter, "redis", "Secret redis-conn key url is not a redis:// or rediss:// URL with a host");
  }

  @Test
  void redisRefWithoutKeyIsMisconfigured() {
    assertMisconfigured(
        factory.create(redis("redis-conn", null), secrets(Map.of())),
        "redis",
        "spec.requestMetrics.redis.addressSecretRef needs a name and a key");
  }

  @Test
  void specWithoutSourceIsMisconfigured() {
    assertMisconfigured(
        factory.create(new RequestMetricsSpec(), secrets(Map.of())),
        "none",
        "spec.requestMetrics names no source");
  }
}
