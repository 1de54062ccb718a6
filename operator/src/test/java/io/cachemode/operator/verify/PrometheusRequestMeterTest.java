package io.cachemode.operator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PrometheusRequestMeterTest {

  private static final String QUERY = "sum(rate(redis_commands_total{cmd=\"get\"}[5m]))";
  private static final Instant NOW = Instant.parse("2026-09-02T10:00:00.250Z");
  private static final Duration WINDOW = Duration.ofMinutes(5);

  private final MockWebServer server = new MockWebServer();
  private PrometheusRequestMeter meter;

  @BeforeEach
  void start() throws IOException {
    server.start();
    meter = meter(Optional.empty());
  }

  private PrometheusRequestMeter meter(Optional<String> bearerToken) {
    return new PrometheusRequestMeter(
        new OkHttpClient(),
        Duration.ofSeconds(2),
        server.url("/prom/"),
        QUERY,
        WINDOW,
        bearerToken);
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

  private static String vector(String value) {
    return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
        + "{\"metric\":{},\"value\":[1788343200.25,\""
        + value
        + "\"]}]}}";
  }

  private static FailureKind kindOf(Measurement m) {
    assertThat(m).isInstanceOf(Measurement.Failure.class);
    return ((Measurement.Failure) m).kind();
  }

  @Test
  void baselineIsOneInstantQueryAtNow() throws Exception {
    server.enqueue(json(200, vector("25")));

    Measurement baseline = meter.baseline(NOW);

    assertThat(baseline).isEqualTo(PrometheusResponseTest.rate(1500.0, NOW));
    assertThat(server.getRequestCount()).isEqualTo(1);
    RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
    HttpUrl url = request.getRequestUrl();
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(url.encodedPath()).isEqualTo("/prom/api/v1/query");
    assertThat(url.queryParameter("query")).isEqualTo(QUERY);
    assertThat(url.queryParameter("time")).isEqualTo("1788343200.250");
    assertThat(request.getHeader("Authorization")).isNull();
  }

  @Test
  void bearerTokenIsSentWhenGiven() throws Exception {
    PrometheusRequestMeter withToken = meter(Optional.of("tok-123"));
    server.enqueue(json(200, vector("1")));

    assertThat(withToken.baseline(NOW)).isEqualTo(PrometheusResponseTest.rate(60.0, NOW));
    assertThat(server.takeRequest(1, TimeUnit.SECONDS).getHeader("Authorization"))
        .isEqualTo("Bearer tok-123");
  }

  @Test
  void afterWindowQueriesAtItsEndOnly() throws Exception {
    WindowStart start = meter.startWindow(NOW);
    assertThat(server.getRequestCount()).isZero();
    server.enqueue(json(200, vector("0.5")));

    Measurement after = meter.afterWindow(start, NOW.plus(WINDOW));

    assertThat(after).isEqualTo(PrometheusResponseTest.rate(30.0, NOW.plus(WINDOW)));
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(server.takeRequest().getRequestUrl().queryParameter("time"))
        .isEqualTo("1788343500.250");
  }

  @Test
  void emptyResultIsNoData() {
    server.enqueue(
        json(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}"));

    assertThat(kindOf(meter.baseline(NOW))).isEqualTo(FailureKind.NoData);
  }

  @Test
  void nanIsNotANumber() {
    server.enqueue(json(200, vector("NaN")));
    server.enqueue(json(200, vector("+Inf")));

    assertThat(kindOf(meter.baseline(NOW))).isEqualTo(FailureKind.NotANumber);
    assertThat(kindOf(meter.baseline(NOW))).isEqualTo(FailureKind.NotANumber);
  }

  @Test
  void rejectedQueryIsMisconfiguredWithPrometheusReason() {
    server.enqueue(
        json(
            400,
            "{\"status\":\"error\",\"errorType\":\"bad_data\","
                + "\"error\":\"invalid parameter \\\"query\\\": 1:5: parse error\"}"));

    assertThat(meter.baseline(NOW))
        .isEqualTo(
            new Measurement.Failure(
                FailureKind.Misconfigured,
                "Prometheus answered HTTP 400: invalid parameter \"query\": 1:5: parse error"));
  }

  @Test
  void httpErrorsMapToKindsWithOneRequestEach() {
    server.enqueue(new MockResponse().setResponseCode(401));
    server.enqueue(new MockResponse().setResponseCode(429));
    server.enqueue(
        json(503, "{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"overloaded\"}"));

    assertThat(kindOf(meter.baseline(NOW))).isEqualTo(FailureKind.Unauthorized);
    assertThat(kindOf(meter.baseline(NOW))).isEqualTo(FailureKind.RateLimited);
    assertThat(meter.baseline(NOW))
        .isEqualTo(
            new Measurement.Failure(
                FailureKind.ServerError, "Prometheus answered HTTP 503: overloaded"));
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void malformedJsonIsMalformed() {
    server.enqueue(json(200, "<html>proxy login</html>"));

    assertThat(kindOf(meter.baseline(NOW))).isEqualTo(FailureKind.Malformed);
  }

  @Test
  void unavailableStartIsPassedThroughWithoutARequest() {
    Measurement.Failure failure = new Measurement.Failure(FailureKind.Unreachable, "down");

    assertThat(meter.afterWindow(new WindowStart.Unavailable(NOW, failure), NOW.plus(WINDOW)))
        .isEqualTo(failure);
    assertThat(server.getRequestCount()).isZero();
  }
}
