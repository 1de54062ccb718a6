package io.cachemode.operator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachemode.operator.api.CheckResult;
import io.cachemode.operator.api.HealthCheckSpec;
import io.cachemode.operator.api.HealthExpectation;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HealthProbeTest {

  private static final Instant NOW = Instant.parse("2026-09-02T10:00:00Z");

  private final MockWebServer server = new MockWebServer();
  private final List<Duration> sleeps = new ArrayList<>();
  private final HealthProbe probe =
      new HealthProbe(new OkHttpClient(), Clock.fixed(NOW, ZoneOffset.UTC), sleeps::add);

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  private HealthCheckSpec check(String url, HealthExpectation expect) {
    HealthCheckSpec spec = new HealthCheckSpec();
    spec.setName("api");
    spec.setUrl(url);
    spec.setExpect(expect);
    spec.setTimeout("2s");
    spec.setAttempts(1);
    spec.setInterval("2s");
    return spec;
  }

  private HealthCheckSpec check(HealthExpectation expect) {
    return check(server.url("/api/health").toString(), expect);
  }

  private static HealthExpectation expect(
      Integer status, String bodyContains, String jsonPointer, String jsonValue) {
    HealthExpectation e = new HealthExpectation();
    e.setStatus(status);
    e.setBodyContains(bodyContains);
    e.setJsonPointer(jsonPointer);
    e.setJsonValue(jsonValue);
    return e;
  }

  private static MockResponse json(int status, String body) {
    return new MockResponse()
        .setResponseCode(status)
        .setHeader("Content-Type", "application/json")
        .setBody(body);
  }

  @Test
  void passesWhenEveryExpectationHolds() throws Exception {
    server.enqueue(json(200, "{\"redis\":{\"status\":\"up\",\"latency\":1.50,\"ok\":true}}"));

    HealthOutcome outcome = probe.check(check(expect(200, "\"redis\"", "/redis/latency", "1.50")));

    assertThat(outcome)
        .extracting(
            HealthOutcome::name,
            HealthOutcome::result,
            HealthOutcome::httpStatus,
            HealthOutcome::attempts,
            HealthOutcome::checkedAt,
            HealthOutcome::message)
        .containsExactly("api", CheckResult.Passed, 200, 1, NOW, "passed on attempt 1 of 1");
    assertThat(outcome.latencyMillis()).isNotNegative();
    RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getPath()).isEqualTo("/api/health");
    assertThat(request.getHeader("User-Agent")).isEqualTo("cachemode-operator");
  }

  @Test
  void defaultExpectationIsStatus200() {
    server.enqueue(new MockResponse().setResponseCode(204));
    HealthCheckSpec spec = check(null);

    assertThat(probe.check(spec).message()).isEqualTo("expected status 200, got 204");
  }

  @Test
  void wrongStatusFails() {
    server.enqueue(new MockResponse().setResponseCode(503).setBody("redis down"));

    HealthOutcome outcome = probe.check(check(expect(200, null, null, null)));

    assertThat(outcome.result()).isEqualTo(CheckResult.Failed);
    assertThat(outcome.httpStatus()).isEqualTo(503);
    assertThat(outcome.message()).isEqualTo("expected status 200, got 503");
  }

  @Test
  void missingSubstringFails() {
    server.enqueue(new MockResponse().setBody("{\"db\":\"ok\"}"));

    HealthOutcome outcome = probe.check(check(expect(200, "redis", null, null)));

    assertThat(outcome.result()).isEqualTo(CheckResult.Failed);
    assertThat(outcome.message()).isEqualTo("body does not contain \"redis\"");
  }

  @Test
  void everyDifferenceIsReported() {
    server.enqueue(json(500, "{\"db\":\"ok\"}"));

    HealthOutcome outcome = probe.check(check(expect(200, "redis", "/redis", null)));

    assertThat(outcome.message())
        .isEqualTo("expected status 200, got 500; body does not contain \"redis\"; /redis missing");
  }

  @Test
  void jsonValueMismatchSaysBothValues() {
    server.enqueue(json(200, "{\"redis\":{\"status\":\"down\"}}"));

    HealthOutcome outcome = probe.check(check(expect(200, null, "/redis/status", "up")));

    assertThat(outcome.result()).isEqualTo(CheckResult.Failed);
    assertThat(outcome.message()).isEqualTo("/redis/status is \"down\", expected \"up\"");
  }

  @Test
  void jsonNumbersAndBooleansCompareAsWritten() {
    server.enqueue(json(200, "{\"checks\":[{\"ok\":true,\"n\":3}]}"));
    server.enqueue(json(200, "{\"checks\":[{\"ok\":true,\"n\":3}]}"));

    assertThat(probe.check(check(expect(200, null, "/checks/0/ok", "true"))).result())
        .isEqualTo(CheckResult.Passed);
    assertThat(probe.check(check(expect(200, null, "/checks/0/n", "4"))).message())
        .isEqualTo("/checks/0/n is 3, expected \"4\"");
  }

  @Test
  void pointerWithoutValueOnlyNeedsToExist() {
    server.enqueue(json(200, "{\"redis\":null}"));
    server.enqueue(json(200, "{\"other\":1}"));

    assertThat(probe.check(check(expect(200, null, "/redis", null))).result())
        .isEqualTo(CheckResult.Passed);
    assertThat(probe.check(check(expect(200, null, "/redis", null))).message())
        .isEqualTo("/redis missing");
  }

  @Test
  void nonJsonBodyFailsAPointerCheck() {
    server.enqueue(new MockResponse().setBody("<html>ok</html>"));

    assertThat(probe.check(check(expect(200, null, "/redis", "up"))).message())
        .isEqualTo("body is not JSON");
  }

  @Test
  void retriesUntilAnAttemptPasses() {
    server.enqueue(new MockResponse().setResponseCode(503));
    server.enqueue(new MockResponse().setResponseCode(503));
    server.enqueue(new MockResponse().setResponseCode(200));
    server.enqueue(new MockResponse().setResponseCode(200));
    HealthCheckSpec spec = check(expect(200, null, null, null));
    spec.setAttempts(5);
    spec.setInterval("3s");

    HealthOutcome outcome = probe.check(spec);

    assertThat(outcome.result()).isEqualTo(CheckResult.Passed);
    assertThat(outcome.attempts()).isEqualTo(3);
    assertThat(outcome.message()).isEqualTo("passed on attempt 3 of 5");
    assertThat(server.getRequestCount()).isEqualTo(3);
    assertThat(sleeps).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(3));
  }

  @Test
  void failsWhenEveryAttemptFailsAndReportsTheLast() {
    server.enqueue(new MockResponse().setResponseCode(500));
    server.enqueue(new MockResponse().setResponseCode(502));
    server.enqueue(new MockResponse().setResponseCode(503));
    HealthCheckSpec spec = check(expect(200, null, null, null));
    spec.setAttempts(3);

    HealthOutcome outcome = probe.check(spec);

    assertThat(outcome.result()).isEqualTo(CheckResult.Failed);
    assertThat(outcome.attempts()).isEqualTo(3);
    assertThat(outcome.httpStatus()).isEqualTo(503);
    assertThat(outcome.message()).isEqualTo("expected status 200, got 503");
    assertThat(server.getRequestCount()).isEqualTo(3);
    assertThat(sleeps).hasSize(2);
  }

  @Test
  void slowResponseTimesOut() {
    server.enqueue(new MockResponse().setHeadersDelay(5, TimeUnit.SECONDS));
    HealthCheckSpec spec = check(expect(200, null, null, null));
    spec.setTimeout("300ms");

    HealthOutcome outcome = probe.check(spec);

    assertThat(outcome.result()).isEqualTo(CheckResult.Failed);
    assertThat(outcome.httpStatus()).isNull();
    assertThat(outcome.message()).isEqualTo("timed out after 300ms");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void closedPortIsConnectionRefused() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    HealthCheckSpec spec = check("http://127.0.0.1:" + port + "/health", null);
    spec.setAttempts(2);

    HealthOutcome outcome = probe.check(spec);

    assertThat(outcome.result()).isEqualTo(CheckResult.Failed);
    assertThat(outcome.attempts()).isEqualTo(2);
    assertThat(outcome.message()).isEqualTo("connection refused to 127.0.0.1:" + port);
  }

  @Test
  void httpsToAPlainHttpServerIsATlsFailure() throws Exception {
    // MockWebServer drops a ClientHello without answering; a plain HTTP server answers it in
    // clear text, which is what the client has to recognise.
    try (ServerSocket plain = new ServerSocket(0)) {
      Thread answerer =
          new Thread(
              () -> {
                try (Socket socket = plain.accept()) {
                  socket.getInputStream().read(new byte[512]);
                  socket
                      .getOutputStream()
                      .write(
                          "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                              .getBytes(StandardCharsets.US_ASCII));
                } catch (IOException ignored) {
                  // the test's assertion reports what the client saw
                }
              });
      answerer.start();
      HealthCheckSpec spec = check("https://127.0.0.1:" + plain.getLocalPort() + "/health", null);

      HealthOutcome outcome = probe.check(spec);

      answerer.join(5000);
      assertThat(outcome.result()).isEqualTo(CheckResult.Failed);
      assertThat(outcome.message()).startsWith("TLS handshake failed: ");
    }
  }

  @Test
  void unknownHostIsNamed() {
    OkHttpClient noDns =
        new OkHttpClient.Builder()
            .dns(
                host -> {
                  throw new UnknownHostException(host);
                })
            .build();
    HealthProbe probe = new HealthProbe(noDns, Clock.fixed(NOW, ZoneOffset.UTC), sleeps::add);

    HealthOutcome outcome = probe.check(check("http://app.atom.svc:8080/health", null));

    assertThat(outcome.result()).isEqualTo(CheckResult.Failed);
    assertThat(outcome.message()).isEqualTo("unknown host app.atom.svc");
  }

  @Test
  void checkThatCannotRunIsInconclusive() {
    HealthOutcome badUrl = probe.check(check("http://user:pw@", null));
    HealthOutcome badPointer = probe.check(check(expect(200, null, "redis", null)));

    assertThat(badUrl)
        .isEqualTo(
            new HealthOutcome(
                "api",
                CheckResult.Inconclusive,
                null,
                0,
                0,
                NOW,
                "url is not an http or https URL"));
    assertThat(badPointer.result()).isEqualTo(CheckResult.Inconclusive);
    assertThat(badPointer.message())
        .isEqualTo("expect.jsonPointer \"redis\" is not an RFC 6901 pointer");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void interruptedWaitEndsTheCheckInconclusive() {
    server.enqueue(new MockResponse().setResponseCode(503));
    HealthProbe probe =
        new HealthProbe(
            new OkHttpClient(),
            Clock.fixed(NOW, ZoneOffset.UTC),
            d -> {
              throw new InterruptedException();
            });
    HealthCheckSpec spec = check(expect(200, null, null, null));
    spec.setAttempts(3);

    HealthOutcome outcome = probe.check(spec);

    assertThat(Thread.interrupted()).isTrue();
    assertThat(outcome.result()).isEqualTo(CheckResult.Inconclusive);
    assertThat(outcome.attempts()).isEqualTo(1);
    assertThat(outcome.message()).isEqualTo("interrupted after attempt 1 of 3");
  }
}
