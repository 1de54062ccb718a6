package io.cachemode.operator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachemode.operator.testing.RedisServerProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

class RedisRequestMeterTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private static void gets(Jedis jedis, int count) {
    for (int i = 0; i < count; i++) {
      jedis.get("flag:" + i);
    }
  }

  private static Measurement.Failure failure(Measurement m) {
    assertThat(m).isInstanceOf(Measurement.Failure.class);
    return (Measurement.Failure) m;
  }

  @Nested
  class WithoutPassword {

    @RegisterExtension final RedisServerProcess redis = RedisServerProcess.withoutPassword();

    private RedisRequestMeter meter() {
      return new RedisRequestMeter(URI.create(redis.url()), TIMEOUT);
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

      assertThat(baseline.method()).isEqualTo("average since server start");
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
      RedisRequestMeter meter = meter();
      try (Jedis app = redis.client()) {
        gets(app, 40);
        Instant opened = Instant.now();
        WindowStart start = meter.startWindow(opened);
        assertThat(start)
            .isEqualTo(
                new WindowStart.Opened(opened, 40L, ((WindowStart.Opened) start).uptimeSeconds()));
        gets(app, 30);

        // The window is declared 2s long, within the slack of a server that ran all along.
        Measurement after = meter.afterWindow(start, opened.plusSeconds(2));

        assertThat(after)
            .isEqualTo(
                new Measurement.Rate(
                    900.0, Duration.ofSeconds(2), "GET counter delta", opened.plusSeconds(2)));
      }
    }

    @Test
    void resetStatsDuringTheWindowIsACounterReset() {
      RedisRequestMeter meter = meter();
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
      RedisRequestMeter meter = meter();
      WindowStart start = meter.startWindow(Instant.now());

      // Ten minutes by the operator's clock, but the server has not run that long since.
      Measurement.Failure failure =
          failure(meter.afterWindow(start, start.at().plus(Duration.ofMinutes(10))));

      assertThat(failure.kind()).isEqualTo(FailureKind.CounterReset);
      assertThat(failure.message()).contains("restarted during the window");
    }

    @Test
    void stoppedServerIsUnreachableEverywhere() throws Exception {
      RedisRequestMeter meter = meter();
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
      RedisRequestMeter meter = new RedisRequestMeter(URI.create(redis.url()), TIMEOUT);

      WindowStart start = meter.startWindow(Instant.now());

      assertThat(((WindowStart.Opened) start).counter()).isEqualTo(5L);
    }

    @Test
    void wrongPasswordIsUnauthorizedAndNotLeaked() {
      String wrong = "wr0ng-Guess-77";
      RedisRequestMeter meter =
          new RedisRequestMeter(
              URI.create("redis://:" + wrong + "@127.0.0.1:" + redis.port()), TIMEOUT);

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
      RedisRequestMeter meter =
          new RedisRequestMeter(URI.create("redis://127.0.0.1:" + redis.port()), TIMEOUT);

      Measurement.Failure failure = failure(meter.baseline(Instant.now()));

      assertThat(failure.kind()).isEqualTo(FailureKind.Unauthorized);
      assertThat(failure.message()).endsWith("rejected the credentials (NOAUTH)");
    }

    @Test
    void tlsToAPlainServerIsUnreachableAndNotLeaked() {
      RedisRequestMeter meter =
          new RedisRequestMeter(
              URI.create("rediss://:" + PASSWORD + "@127.0.0.1:" + redis.port()), TIMEOUT);

      Measurement.Failure failure = failure(meter.baseline(Instant.now()));

      assertThat(failure.kind()).isEqualTo(FailureKind.Unreachable);
      assertThat(failure.message()).doesNotContain(PASSWORD);
    }
  }

  /**
   * Upstash answers {@code INFO commandstats} with the heading only. A real redis-server cannot
   * answer that, so a minimal RESP server stands in: every command gets +OK, INFO gets a canned
   * section.
   */
  @Nested
  class CommandstatsNotProvided {

    @Test
    void headingOnlyIsNoDataRatherThanZeroGets() throws Exception {
      try (ServerSocket fake = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        Thread server = new Thread(() -> answerInfo(fake));
        server.setDaemon(true);
        server.start();
        RedisRequestMeter meter =
            new RedisRequestMeter(URI.create("redis://127.0.0.1:" + fake.getLocalPort()), TIMEOUT);

        Measurement baseline = meter.baseline(Instant.now());

        assertThat(baseline)
            .isEqualTo(
                new Measurement.Failure(
                    FailureKind.NoData,
                    "Redis at 127.0.0.1:"
                        + fake.getLocalPort()
                        + " reports no command statistics (INFO commandstats)"));
      }
    }

    private void answerInfo(ServerSocket fake) {
      try (Socket socket = fake.accept();
          BufferedReader in =
              new BufferedReader(
                  new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
        OutputStream out = socket.getOutputStream();
        String header;
        while ((header = in.readLine()) != null) {
          List<String> args = new ArrayList<>();
          for (int i = Integer.parseInt(header.substring(1)); i > 0; i--) {
            in.readLine();
            args.add(in.readLine());
          }
          String reply = "+OK\r\n";
          if (args.get(0).equalsIgnoreCase("INFO")) {
            String section =
                args.get(1).equalsIgnoreCase("server")
                    ? "# Server\r\nuptime_in_seconds:3600\r\n"
                    : "# Commandstats\r\n";
            reply = "$" + section.length() + "\r\n" + section + "\r\n";
          }
          out.write(reply.getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      } catch (IOException closed) {
        // the meter closed its connection, or the test ended
      }
    }
  }
}
