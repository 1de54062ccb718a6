package io.cachemode.operator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import okhttp3.Credentials;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UpstashRequestMeterTest {

  private static final String EMAIL = "ops@example.com";
  private static final String API_KEY = "k-9f8e7d6c5b4a-secret";
  private static final Instant NOW = Instant.parse("2026-09-02T10:10:30Z");

  private final MockWebServer server = new MockWebServer();
  private UpstashRequestMeter meter;

  @BeforeEach
  void start() throws IOException {
    server.start();
    meter =
        new UpstashRequestMeter(
            new OkHttpClient(), Duration.ofSeconds(2), server.url("/"), "db-7c1e", EMAIL, API_KEY);
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  private static MockResponse json(int status, String body) {
    return new MockResponse()
        .setResponseCode(status)
        .setHeader("Content-Type", "application/json")
        .setBody(body);
  }

  private Measurement.Failure failure(Measurement m) {
    assertThat(m).isInstanceOf(Measurement.Failure.class);
    Measurement.Failure failure = (Measurement.Failure) m;
    assertThat(failure.message()).doesNotContain(API_KEY).doesNotContain(EMAIL);
    return failure;
  }

  @Test
  void baselineIsOneAuthenticatedStatsRequest() throws Exception {
    server.enqueue(json(200, UpstashStatsTest.MINUTE_SERIES));

    Measurement baseline = meter.baseline(NOW);

    assertThat(baseline)
        .isEqualTo(
            new Measurement.Rate(
                303.0,
                Duration.ofMinutes(10),
                "Upstash command_counts GET",
                "10 complete buckets of 1m inside the window",
                NOW));
    assertThat(server.getRequestCount()).isEqualTo(1);
    RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getPath()).isEqualTo("/v2/redis/stats/db-7c1e");
    assertThat(request.getHeader("Authorization")).isEqualTo(Credentials.basic(EMAIL, API_KEY));
  }

  @Test
  void afterWindowCountsOnlyTheWindowWithOneRequestAndNoneAtItsStart() {
    WindowStart start = meter.startWindow(Instant.parse("2026-09-02T10:04:00Z"));
    assertThat(server.getRequestCount()).isZero();
    server.enqueue(json(200, UpstashStatsTest.MINUTE_SERIES));

    Measurement after = meter.afterWindow(start, NOW);

    assertThat(((Measurement.Rate) after).perMinute()).isEqualTo(6.0);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void referenceExampleParses() {
    server.enqueue(json(200, UpstashStatsTest.REFERENCE_EXAMPLE));

    assertThat(failure(meter.baseline(NOW)).kind()).isEqualTo(FailureKind.NoData);
  }

  @Test
  void rejectedCredentialsAreUnauthorized() {
    server.enqueue(json(401, "{\"error\":\"Unauthorized\"}"));
    server.enqueue(new MockResponse().setResponseCode(403));

    Measurement.Failure first = failure(meter.baseline(NOW));
    Measurement.Failure second = failure(meter.baseline(NOW));

    assertThat(first)
        .isEqualTo(
            new Measurement.Failure(
                FailureKind.Unauthorized, "Upstash API answered HTTP 401: Unauthorized"));
    assertThat(second.kind()).isEqualTo(FailureKind.Unauthorized);
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void throttlingIsRateLimitedAndNotRetried() {
    server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "1"));
    server.enqueue(json(200, UpstashStatsTest.MINUTE_SERIES));

    assertThat(failure(meter.baseline(NOW)))
        .isEqualTo(
            new Measurement.Failure(FailureKind.RateLimited, "Upstash API answered HTTP 429"));
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void serverErrorIsServerError() {
    server.enqueue(new MockResponse().setResponseCode(500).setBody("boom"));

    assertThat(failure(meter.baseline(NOW)))
        .isEqualTo(
            new Measurement.Failure(FailureKind.ServerError, "Upstash API answered HTTP 500"));
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void unknownDatabaseIsMisconfigured() {
    server.enqueue(new MockResponse().setResponseCode(404).setBody("database not found"));

    assertThat(failure(meter.baseline(NOW)).kind()).isEqualTo(FailureKind.Misconfigured);
  }

  @Test
  void malformedJsonIsMalformed() {
    server.enqueue(json(200, "{\"command_counts\": [ {"));

    assertThat(failure(meter.baseline(NOW)))
        .isEqualTo(
            new Measurement.Failure(
                FailureKind.Malformed,
                "Upstash API answered HTTP 200 with a body that is not JSON"));
  }

  @Test
  void emptyStatsAreNoData() {
    server.enqueue(json(200, "{}"));

    assertThat(failure(meter.baseline(NOW)).kind()).isEqualTo(FailureKind.NoData);
  }

  @Test
  void unreachableApiIsUnreachable() throws IOException {
    int port = server.getPort();
    server.shutdown();

    Measurement.Failure failure = failure(meter.baseline(NOW));

    assertThat(failure)
        .isEqualTo(
            new Measurement.Failure(
                FailureKind.Unreachable,
                "Upstash API: connection refused to " + server.getHostName() + ":" + port));
  }

  @Test
  void slowApiTimesOutOnce() {
    server.enqueue(new MockResponse().setBodyDelay(5, TimeUnit.SECONDS).setBody("{}"));
    UpstashRequestMeter impatient =
        new UpstashRequestMeter(
            new OkHttpClient(), Duration.ofMillis(300), server.url("/"), "db", EMAIL, API_KEY);

    assertThat(failure(impatient.baseline(NOW)))
        .isEqualTo(
            new Measurement.Failure(FailureKind.Unreachable, "Upstash API: timed out after 300ms"));
    assertThat(server.getRequestCount()).isEqualTo(1);
  }
}
