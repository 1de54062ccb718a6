package io.cachemode.operator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachemode.operator.api.RedisCountMethod;
import io.cachemode.operator.testing.RedisServerProcess;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/**
 * The counter methods (CommandStats, Keyspace) against a real redis-server: what each reads, the
 * counter delta, resets, and the credential and network failures.
 */
class RedisCounterMeterIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private static void gets(Jedis jedis, int count) {
    for (int i = 0; i < count; i++) {
      jedis.get("flag:" + i);
    }
  }

  private static RequestMeter meter(String url, RedisCountMethod method) {
    return new RedisMeters(
            new RedisConnections(URI.create(url), TIMEOUT), Duration.ofSeconds(2), 1000)
        .create(method);
  }

  private static Measurement.Failure failure(Measurement m) {
    assertThat(m).isInstanceOf(Measurement.Failure.class);
    return (Measurement.Failure) m;
  }

  @Nested
  class WithoutPassword {

    @RegisterExtension final RedisServerProcess redis = RedisServerProcess.withoutPassword();

    private RequestMeter meter() {
      return RedisCounterMeterIT.meter(redis.url(), RedisCountMethod.CommandStats);
    }

    /** The baseline divides by whole seconds of uptime, which starts at 0. */
    private void awaitUptimeOfOneSecond(Jedis jedis) throws InterruptedException {
      while (RedisInfo.uptimeSeconds(jedis.info("server")).orElseThrow() < 1) {
        Thread.sleep(100);
      }
    }

    @Test
    void baselineIsGetsSinceStartOverUptime() throws Exception {
      Instant now = Instant.now();
      try (Jedis app = redis.client()) {
        gets(app, 120);
        awaitUptimeOfOneSecond(app);
      }

      Measurement.Rate baseline = (Measurement.Rate) meter().baseline(now);

      assertThat(baseline.method()).isEqualTo("CommandStats");
      assertThat(baseline.reason())
          .startsWith(
              "spec.requestMetrics.redis.method is CommandStats; cmdstat_get averaged since the"
                  + " server started ");
      assertThat(baseline.window()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
      assertThat(baseline.perMinute()).isEqualTo(120 * 60.0 / baseline.window().toSeconds());
      assertThat(baseline.sampledAt()).isEqualTo(now);
    }

    @Test
    void serverWithoutGetsHasARateOfZero() throws Exception {
      try (Jedis app = redis.client()) {
        app.set("flag", "x");
        awaitUptimeOfOneSecond(app);
      }

      assertThat(((Measurement.Rate) meter().baseline(Instant.now())).perMinute()).isZero();
    }

    @Test
    void afterWindowIsTheCounterDeltaOverTheElapsedTime() {
      RequestMeter meter = meter();
      try (Jedis app = redis.client()) {
        gets(app, 40);
        Instant opened = Instant.now();
        WindowStart start = meter.startWindow(opened);
        assertThat(start)
            .isEqualTo(
                new WindowStart.Opened(
                    opened, "CommandStats", 40L, ((WindowStart.Opened) start).uptimeSeconds()));
        gets(app, 30);

        // The window is declared 2s long, within the slack of a server that ran all along.
        Measurement after = meter.afterWindow(start, opened.plusSeconds(2));

        assertThat(after)
            .isEqualTo(
                new Measurement.Rate(
                    900.0,
                    Duration.ofSeconds(2),
                    "CommandStats",
                    "spec.requestMetrics.redis.method is CommandStats; cmdstat_get delta over the"
                        + " window",
                    opened.plusSeconds(2)));
      }
    }

    @Test
    void resetStatsDuringTheWindowIsACounterReset() {
      RequestMeter meter = meter();
      try (Jedis app = redis.client()) {
        gets(app, 50);
        WindowStart start = meter.startWindow(Instant.now());
        app.configResetStat();
        gets(app, 10);

        Measurement.Failure failure = failure(meter.afterWindow(start, start.at().plusSeconds(1)));

        assertThat(failure.kind()).isEqualTo(FailureKind.CounterReset);
        assertThat(failure.message())
            .isEqualTo(
                "GET counter of Redis at 127.0.0.1:"
                    + redis.port()
                    + " fell from 50 to 10 during the window (CONFIG RESETSTAT?)");
      }
    }

    @Test
    void uptimeShorterThanTheWindowIsACounterReset() {
      RequestMeter meter = meter();
      WindowStart start = meter.startWindow(Instant.now());

      // Ten minutes by the operator's clock, but the server has not run that long since.
      Measurement.Failure failure =
          failure(meter.afterWindow(start, start.at().plus(Duration.ofMinutes(10))));

      assertThat(failure.kind()).isEqualTo(FailureKind.CounterReset);
      assertThat(failure.message()).contains("restarted during the window");
    }

    @Test
    void keyspaceCountsLookupsOfEveryReadCommandNotWrites() {
      RequestMeter meter = RedisCounterMeterIT.meter(redis.url(), RedisCountMethod.Keyspace);
      try (Jedis app = redis.client()) {
        app.set("hit", "1");
        WindowStart start = meter.startWindow(Instant.now());
        assertThat(((WindowStart.Opened) start).method()).isEqualTo("Keyspace");
        gets(app, 10); // misses
        app.get("hit");
        app.hget("no-hash", "f"); // another read command: counted too, hence "a proxy"
        app.set("other", "2");

        Measurement.Rate after =
            (Measurement.Rate) meter.afterWindow(start, start.at().plusSeconds(1));

        assertThat(after.perMinute()).isEqualTo(12 * 60.0);
        assertThat(after.method()).isEqualTo("Keyspace");
        assertThat(after.reason())
            .isEqualTo(
                "spec.requestMetrics.redis.method is Keyspace; keyspace_hits + keyspace_misses (key"
                    + " lookups of every read command: a proxy for reads, not a count of GETs) delta"
                    + " over the window");
      }
    }

    @Test
    void stoppedServerIsUnreachableEverywhere() throws Exception {
      RequestMeter meter = meter();
      WindowStart opened = meter.startWindow(Instant.now());
      redis.stop();
      String expected =
          "Redis at 127.0.0.1:"
              + redis.port()
              + ": connection refused to 127.0.0.1:"
              + redis.port();

      assertThat(meter.baseline(Instant.now()))
          .isEqualTo(new Measurement.Failure(FailureKind.Unreachable, expected));
      assertThat(meter.afterWindow(opened, opened.at().plusSeconds(60)))
          .isEqualTo(new Measurement.Failure(FailureKind.Unreachable, expected));
      WindowStart unavailable = meter.startWindow(Instant.now());
      assertThat(unavailable).isInstanceOf(WindowStart.Unavailable.class);
      assertThat(meter.afterWindow(unavailable, Instant.now()))
          .isEqualTo(new Measurement.Failure(FailureKind.Unreachable, expected));
    }
  }

  @Nested
  class WithPassword {

    private static final String PASSWORD = "s3cret-Pa55word";

    @RegisterExtension final RedisServerProcess redis = RedisServerProcess.withPassword(PASSWORD);

    @Test
    void rightPasswordMeasures() {
      try (Jedis app = redis.client()) {
        gets(app, 5);
      }
      RequestMeter meter = RedisCounterMeterIT.meter(redis.url(), RedisCountMethod.CommandStats);

      WindowStart start = meter.startWindow(Instant.now());

      assertThat(((WindowStart.Opened) start).counter()).isEqualTo(5L);
    }

    @Test
    void wrongPasswordIsUnauthorizedAndNotLeaked() {
      String wrong = "wr0ng-Guess-77";
      RequestMeter meter =
          RedisCounterMeterIT.meter(
              "redis://:" + wrong + "@127.0.0.1:" + redis.port(), RedisCountMethod.CommandStats);

      Measurement.Failure failure = failure(meter.baseline(Instant.now()));

      assertThat(failure)
          .isEqualTo(
              new Measurement.Failure(
                  FailureKind.Unauthorized,
                  "Redis at 127.0.0.1:" + redis.port() + " rejected the credentials (WRONGPASS)"));
      assertThat(failure.message()).doesNotContain(wrong).doesNotContain(PASSWORD);
    }

    @Test
    void missingPasswordIsUnauthorized() {
      RequestMeter meter =
          RedisCounterMeterIT.meter(
              "redis://127.0.0.1:" + redis.port(), RedisCountMethod.CommandStats);

      Measurement.Failure failure = failure(meter.baseline(Instant.now()));

      assertThat(failure.kind()).isEqualTo(FailureKind.Unauthorized);
      assertThat(failure.message()).endsWith("rejected the credentials (NOAUTH)");
    }

    @Test
    void tlsToAPlainServerIsUnreachableAndNotLeaked() {
      RequestMeter meter =
          RedisCounterMeterIT.meter(
              "rediss://:" + PASSWORD + "@127.0.0.1:" + redis.port(), RedisCountMethod.Keyspace);

      Measurement.Failure failure = failure(meter.baseline(Instant.now()));

      assertThat(failure.kind()).isEqualTo(FailureKind.Unreachable);
      assertThat(failure.message()).doesNotContain(PASSWORD);
    }
  }
}
