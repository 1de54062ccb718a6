package io.cachemode.operator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cachemode.operator.api.RedisCountMethod;
import io.cachemode.operator.api.RequestVerdict;
import io.cachemode.operator.testing.CapturedLogs;
import io.cachemode.operator.testing.RedisServerProcess;
import io.cachemode.operator.testing.TestTls;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/**
 * MONITOR samples against a real redis-server: exact counts, the operator's own connections left
 * out, the line cap, no argument ever leaving the sampler, TLS with an ACL user, and {@code Auto}
 * falling back to MONITOR.
 */
class RedisMonitorMeterIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final Duration SAMPLE = Duration.ofSeconds(2);
  private static final String ARGUMENT = "customer:4711:private-token-Zq9";

  private static MonitorSampler sampler(RedisConnections connections, long maxLines) {
    return new MonitorSampler(connections, SAMPLE, maxLines);
  }

  /** Runs a sample on another thread and returns once the server lists it as a monitor. */
  private static CompletableFuture<Measurement> startSample(
      Supplier<Measurement> sample, Jedis admin) throws InterruptedException {
    CompletableFuture<Measurement> result = CompletableFuture.supplyAsync(sample);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!admin.clientList().contains("flags=O")) {
      assertThat(System.nanoTime()).as("MONITOR started within 5s").isLessThan(deadline);
      Thread.sleep(10);
    }
    return result;
  }

  private static Measurement.Rate rate(Measurement m) {
    assertThat(m).isInstanceOf(Measurement.Rate.class);
    return (Measurement.Rate) m;
  }

  @Nested
  class PlainServer {

    @RegisterExtension final RedisServerProcess redis = RedisServerProcess.withoutPassword();

    private RedisConnections connections() {
      return new RedisConnections(URI.create(redis.url()), TIMEOUT);
    }

    @Test
    void countsTheGetFamilySeenDuringTheSample() throws Exception {
      try (Jedis admin = redis.client();
          Jedis app = redis.client()) {
        CompletableFuture<Measurement> running =
            startSample(() -> sampler(connections(), 1000).sample(Instant.EPOCH, "test"), admin);
        for (int i = 0; i < 30; i++) {
          app.get("k" + i);
        }
        app.mget("a", "b", "c", "d");
        app.getDel("gone");
        app.set("w", "1");
        app.hget("h", "f");

        Measurement.Rate rate = rate(running.get(10, TimeUnit.SECONDS));

        assertThat(rate.method()).isEqualTo("Monitor");
        assertThat(rate.capped()).isFalse();
        assertThat(rate.window()).isBetween(SAMPLE, SAMPLE.plusMillis(500));
        // The window is reported in whole milliseconds, the rate computed on nanoseconds.
        assertThat(rate.perMinute() * rate.window().toMillis() / 60_000.0)
            .isCloseTo(35.0, Offset.offset(0.05));
        assertThat(rate.sampledAt()).isEqualTo(Instant.EPOCH.plus(rate.window()));
        assertThat(rate.reason())
            .startsWith(
                "test; counted GETs with MONITOR over 2s (35 GET, MGET key, GETEX or GETDEL in ");
      }
    }

    @Test
    void aQuietServerEndsTheSampleAtItsWindow() {
      long started = System.nanoTime();

      Measurement.Rate rate = rate(sampler(connections(), 1000).sample(Instant.EPOCH, "quiet"));

      Duration took = Duration.ofNanos(System.nanoTime() - started);
      assertThat(rate.perMinute()).isZero();
      assertThat(took).isBetween(SAMPLE, SAMPLE.plusSeconds(1));
    }

    @Test
    void theOperatorsOwnConnectionsAreLeftOut() throws Exception {
      try (Jedis admin = redis.client();
          Jedis app = redis.client();
          Jedis operator = connections().jedis()) {
        CompletableFuture<Measurement> running =
            startSample(() -> sampler(connections(), 1000).sample(Instant.EPOCH, "own"), admin);
        for (int i = 0; i < 10; i++) {
          app.get("app" + i);
          operator.get("operator" + i);
        }

        Measurement.Rate rate = rate(running.get(10, TimeUnit.SECONDS));

        assertThat(rate.reason())
            .contains("(10 GET, MGET key, GETEX or GETDEL in ")
            .contains(", 10 of the operator's own connections left out)");
      }
    }

    @Test
    void theLineCapEndsTheSampleEarlyAndSaysSo() throws Exception {
      try (Jedis admin = redis.client();
          Jedis app = redis.client()) {
        CompletableFuture<Measurement> running =
            startSample(() -> sampler(connections(), 50).sample(Instant.EPOCH, "busy"), admin);
        for (int i = 0; i < 200; i++) {
          app.get("k" + i);
        }

        Measurement.Rate rate = rate(running.get(10, TimeUnit.SECONDS));

        assertThat(rate.capped()).isTrue();
        assertThat(rate.window()).isLessThan(SAMPLE);
        assertThat(rate.reason())
            .contains("the line cap of 50 was reached before the 2s window ended")
            .contains("in 50 lines");
      }
    }

    @Test
    void argumentsNeverReachLogsOrStatus() throws Exception {
      String status;
      String reason;
      try (CapturedLogs logs = CapturedLogs.everything();
          Jedis admin = redis.client();
          Jedis app = redis.client()) {
        CompletableFuture<Measurement> running =
            startSample(() -> sampler(connections(), 1000).sample(Instant.EPOCH, "args"), admin);
        app.set(ARGUMENT, ARGUMENT);
        app.get(ARGUMENT);
        app.mget(ARGUMENT, ARGUMENT);
        Measurement.Rate rate = rate(running.get(10, TimeUnit.SECONDS));
        reason = rate.reason();
        status = new ObjectMapper().writeValueAsString(RateSamples.of(rate));

        assertThat(reason).contains("(3 GET, MGET key");
        assertThat(logs.text()).doesNotContain(ARGUMENT).doesNotContain("private-token");
      }
      assertThat(status).doesNotContain(ARGUMENT).doesNotContain("private-token");
    }

    @Test
    void aUserWithoutMonitorIsUnauthorized() {
      try (Jedis admin = redis.client()) {
        admin.aclSetUser("reader", "on", ">pw", "-@all", "+info", "+client|setname");
      }
      URI url = URI.create("redis://reader:pw@127.0.0.1:" + redis.port());

      Measurement m = sampler(new RedisConnections(url, TIMEOUT), 1000).sample(Instant.EPOCH, "x");

      assertThat(m)
          .isEqualTo(
              new Measurement.Failure(
                  FailureKind.Unauthorized,
                  "Redis at 127.0.0.1:"
                      + redis.port()
                      + " does not allow this user MONITOR (NOPERM)"));
    }

    /**
     * Redis 7 cannot be made to answer {@code INFO commandstats} with only its heading as Upstash
     * does, but ACL first-argument rules ({@code +info|stats}, deprecated in 7.0 yet honoured) give
     * a user INFO stats and MONITOR while {@code INFO commandstats} answers NOPERM, which is how a
     * managed Redis restricts it. Auto must then count with MONITOR and say why.
     */
    @Test
    void autoFallsBackToMonitorWhenCommandstatsIsNotPermitted() throws Exception {
      try (Jedis admin = redis.client()) {
        admin.aclSetUser(
            "monitor-only",
            "on",
            ">pw",
            "-@all",
            "+monitor",
            "+info|stats",
            "+info|server",
            "+client|setname",
            "+ping");
      }
      String url = "redis://monitor-only:pw@127.0.0.1:" + redis.port();
      RequestMeter auto =
          new RedisMeters(new RedisConnections(URI.create(url), TIMEOUT), SAMPLE, 1000)
              .create(RedisCountMethod.Auto);

      assertThat(auto.baselineTiming()).isEqualTo(Timing.sample(SAMPLE));
      try (Jedis admin = redis.client();
          GetLoad load = new GetLoad(redis::client)) {
        Measurement before = auto.baseline(Instant.now());
        load.flag(true);
        WindowStart start = auto.startWindow(Instant.now());
        assertThat(start).isEqualTo(WindowStart.Opened.withoutCounter(start.at(), "Monitor"));
        assertThat(auto.afterWindowTiming(start)).isEqualTo(Timing.sample(SAMPLE));
        Measurement after = auto.afterWindow(start, Instant.now());

        assertThat(rate(before).reason())
            .startsWith(
                "INFO commandstats is not permitted for this ACL user (NOPERM); counted GETs with"
                    + " MONITOR over 2s");
        assertThat(rate(before).perMinute()).isGreaterThan(1000);
        assertThat(rate(after).reason()).startsWith("Auto chose Monitor when the window opened");
        assertThat(RequestVerdicts.judge(before, after, true, 95, true).verdict())
            .isEqualTo(RequestVerdict.Reduced);
      }
    }
  }

  @Nested
  class TlsWithAclUser {

    private final TestTls tls = createTls();

    @RegisterExtension final RedisServerProcess redis = RedisServerProcess.withTls(tls);

    private static TestTls createTls() {
      try {
        return TestTls.create();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Test
    void monitorsOverTlsAsAnAclUser() throws Exception {
      try (Jedis admin = redis.client()) {
        // Only MONITOR: the client name the operator sets is fire-and-forget, its NOPERM ignored.
        admin.aclSetUser("meter", "on", ">m3ter-pw", "-@all", "+monitor");
      }
      URI url = URI.create("rediss://meter:m3ter-pw@127.0.0.1:" + redis.port());
      RedisConnections connections =
          new RedisConnections(url, TIMEOUT, tls.clientSocketFactory(), OwnClients.PROCESS);
      try (Jedis admin = redis.client();
          Jedis app = redis.client()) {
        CompletableFuture<Measurement> running =
            startSample(() -> sampler(connections, 1000).sample(Instant.EPOCH, "tls"), admin);
        for (int i = 0; i < 12; i++) {
          app.get("k" + i);
        }

        Measurement.Rate rate = rate(running.get(10, TimeUnit.SECONDS));

        assertThat(rate.reason()).contains("(12 GET, MGET key, GETEX or GETDEL in ");
        assertThat(admin.clientList()).doesNotContain("user=meter");
      }
    }

    @Test
    void aServerCertificateNotTrustedIsUnreachableAndNamesTls() {
      URI url = URI.create("rediss://127.0.0.1:" + redis.port());

      Measurement m =
          sampler(new RedisConnections(url, TIMEOUT), 1000).sample(Instant.EPOCH, "untrusted");

      assertThat(m).isInstanceOf(Measurement.Failure.class);
      assertThat(((Measurement.Failure) m).kind()).isEqualTo(FailureKind.Unreachable);
      assertThat(((Measurement.Failure) m).message()).contains("TLS handshake failed");
    }
  }
}
