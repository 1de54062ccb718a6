package io.cachemode.operator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachemode.operator.api.CheckResult;
import io.cachemode.operator.api.FollowRedirects;
import io.cachemode.operator.api.HealthCheckSpec;
import io.cachemode.operator.egress.Outbound;
import io.cachemode.operator.egress.OutboundPolicy;
import io.cachemode.operator.egress.Purpose;
import io.cachemode.operator.egress.Resolver;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Health checks through the outbound policy: refused destinations and redirects. Two servers on
 * 127.0.0.1 stand for two hosts: one is reached as {@code localhost}, the other as {@code
 * 127.0.0.1}, so a redirect between them is a redirect to another host without leaving loopback.
 */
class HealthProbeOutboundTest {

  private static final Instant NOW = Instant.parse("2026-09-02T10:00:00Z");

  private final MockWebServer app = new MockWebServer();
  private final MockWebServer other = new MockWebServer();
  private final List<Duration> sleeps = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    app.start(InetAddress.getByName("127.0.0.1"), 0);
    other.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() throws IOException {
    app.shutdown();
    other.shutdown();
  }

  /** Health checks may reach {@code localhost} and 127.0.0.1. */
  private HealthProbe probe(String healthCheckAllowList) {
    Outbound outbound =
        new Outbound(
            OutboundPolicy.of(Map.of(Purpose.HealthCheck, healthCheckAllowList), false),
            Resolver.system(),
            new OkHttpClient());
    return new HealthProbe(
        outbound.http(Purpose.HealthCheck), Clock.fixed(NOW, ZoneOffset.UTC), sleeps::add);
  }

  private static HealthCheckSpec check(String url, FollowRedirects redirects) {
    HealthCheckSpec spec = new HealthCheckSpec();
    spec.setName("api");
    spec.setUrl(url);
    spec.setTimeout("2s");
    spec.setAttempts(1);
    spec.setInterval("1s");
    spec.setFollowRedirects(redirects);
    return spec;
  }

  private static String onLocalhost(MockWebServer server, String path) {
    return new HttpUrl.Builder()
        .scheme("http")
        .host("localhost")
        .port(server.getPort())
        .encodedPath(path)
        .build()
        .toString();
  }

  private static String on127(MockWebServer server, String path) {
    return "http://127.0.0.1:" + server.getPort() + path;
  }

  @Test
  void aDestinationOutsideThePolicyIsInconclusiveAndTheServerSeesNoRequest() {
    HealthCheckSpec spec = check(on127(app, "/health"), FollowRedirects.Never);
    spec.setAttempts(3);
    HealthOutcome o = probe("*.svc").check(spec);
    assertThat(o.result()).isEqualTo(CheckResult.Inconclusive);
    assertThat(o.attempts()).isZero();
    assertThat(o.httpStatus()).isNull();
    assertThat(o.message())
        .isEqualTo(
            "DestinationNotAllowed: health check to 127.0.0.1 refused: not in the allowed"
                + " destinations (EGRESS_HEALTH_CHECK=*.svc)");
    assertThat(sleeps).as("no retry: the policy answers the same every time").isEmpty();
    assertThat(app.getRequestCount()).isZero();
  }

  @Test
  void aRedirectIsNotFollowedByDefault() {
    app.enqueue(redirect(on127(other, "/health")));
    HealthOutcome o =
        probe("localhost,127.0.0.1")
            .check(check(onLocalhost(app, "/health"), FollowRedirects.Never));
    assertThat(o.result()).isEqualTo(CheckResult.Failed);
    assertThat(o.httpStatus()).isEqualTo(302);
    assertThat(o.message())
        .startsWith(
            "expected status 200, got 302: redirect to 127.0.0.1 not followed (followRedirects:"
                + " Never)");
    assertThat(other.getRequestCount()).isZero();
  }

  @Test
  void sameHostFollowsARedirectOnTheSameHost() throws Exception {
    app.enqueue(redirect("/health/"));
    app.enqueue(new MockResponse().setBody("{\"redis\":\"up\"}"));
    HealthOutcome o =
        probe("localhost").check(check(onLocalhost(app, "/health"), FollowRedirects.SameHost));
    assertThat(o.result()).isEqualTo(CheckResult.Passed);
    assertThat(o.httpStatus()).isEqualTo(200);
    assertThat(app.takeRequest().getPath()).isEqualTo("/health");
    assertThat(app.takeRequest().getPath()).isEqualTo("/health/");
  }

  @Test
  void sameHostDoesNotFollowARedirectToAnotherHost() {
    app.enqueue(redirect(on127(other, "/steal?token=abc")));
    HealthOutcome o =
        probe("localhost,127.0.0.1")
            .check(check(onLocalhost(app, "/health"), FollowRedirects.SameHost));
    assertThat(o.result()).isEqualTo(CheckResult.Failed);
    assertThat(o.message())
        .contains(
            "redirect to 127.0.0.1 not followed (followRedirects: SameHost, the check is for"
                + " localhost)")
        .doesNotContain("token");
    assertThat(other.getRequestCount()).isZero();
  }

  @Test
  void sameHostStopsAfterFiveRedirects() {
    for (int i = 0; i < 10; i++) {
      app.enqueue(redirect("/loop" + i));
    }
    HealthOutcome o =
        probe("localhost").check(check(onLocalhost(app, "/health"), FollowRedirects.SameHost));
    assertThat(o.message()).contains("redirect to localhost not followed (more than 5 redirects)");
    assertThat(app.getRequestCount()).isEqualTo(6);
  }

  @Test
  void aMeterNeverFollowsARedirect() {
    app.enqueue(redirect(on127(other, "/api/v1/query")));
    HttpGet get = new HttpGet(new OkHttpClient(), Duration.ofSeconds(2));
    Measurement m =
        get.measure(
            new okhttp3.Request.Builder().url(onLocalhost(app, "/api/v1/query")).build(),
            "Prometheus",
            json -> new Measurement.Failure(FailureKind.NoData, "not reached"));
    assertThat(m)
        .isEqualTo(new Measurement.Failure(FailureKind.Malformed, "Prometheus answered HTTP 302"));
    assertThat(other.getRequestCount()).isZero();
  }

  private static MockResponse redirect(String location) {
    return new MockResponse().setResponseCode(302).setHeader("Location", location);
  }
}
