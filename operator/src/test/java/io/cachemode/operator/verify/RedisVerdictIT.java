package io.cachemode.operator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachemode.operator.api.RedisCountMethod;
import io.cachemode.operator.api.RequestVerdict;
import io.cachemode.operator.testing.RedisServerProcess;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each method end to end against a real redis-server whose GET load follows the flag: a baseline,
 * the flag written, an after-rate, and the verdict. When the app honours the flag the GETs stop
 * (Reduced); when it ignores it, as in the incident, they go on (NotReduced).
 */
class RedisVerdictIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final Duration WINDOW = Duration.ofSeconds(2);

  @RegisterExtension final RedisServerProcess redis = RedisServerProcess.withoutPassword();

  @ParameterizedTest(name = "{0}, app honours the flag: {1}")
  @CsvSource({
    "CommandStats, true, CommandStats, Reduced",
    "CommandStats, false, CommandStats, NotReduced",
    "Keyspace, true, Keyspace, Reduced",
    "Keyspace, false, Keyspace, NotReduced",
    "Monitor, true, Monitor, Reduced",
    "Monitor, false, Monitor, NotReduced",
    "Auto, true, CommandStats, Reduced"
  })
  void verdictFollowsWhatTheAppDid(
      RedisCountMethod method, boolean honoured, String countedWith, RequestVerdict expected)
      throws Exception {
    RequestMeter meter =
        new RedisMeters(new RedisConnections(URI.create(redis.url()), TIMEOUT), WINDOW, 1_000_000)
            .create(method);
    try (GetLoad app = new GetLoad(redis::client)) {
      // A counter's baseline is its average since the server started: let some traffic happen.
      Thread.sleep(1500);

      Measurement before = meter.baseline(Instant.now());
      app.flag(honoured);
      WindowStart start = meter.startWindow(Instant.now());
      if (meter.afterWindowTiming(start).kind() == Timing.Kind.Instant) {
        Thread.sleep(WINDOW.toMillis());
      }
      Measurement after = meter.afterWindow(start, Instant.now());

      assertThat(before).isInstanceOf(Measurement.Rate.class);
      assertThat(after).isInstanceOf(Measurement.Rate.class);
      Measurement.Rate b = (Measurement.Rate) before;
      Measurement.Rate a = (Measurement.Rate) after;
      assertThat(b.method()).isEqualTo(countedWith);
      assertThat(a.method()).isEqualTo(countedWith);
      assertThat(b.perMinute()).as("before").isGreaterThan(1000);
      if (honoured) {
        assertThat(a.perMinute()).as("after").isZero();
      } else {
        assertThat(a.perMinute()).as("after").isGreaterThan(1000);
      }
      assertThat(RequestVerdicts.judge(before, after, true, 95, true).verdict())
          .isEqualTo(expected);
      assertThat(app.gets()).isPositive();
    }
  }
}
