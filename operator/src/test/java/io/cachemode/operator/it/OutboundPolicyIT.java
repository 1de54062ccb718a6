package io.cachemode.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachemode.operator.api.CheckResult;
import io.cachemode.operator.api.HealthCheckStatus;
import io.cachemode.operator.egress.OutboundPolicy;
import io.cachemode.operator.egress.Purpose;
import io.cachemode.operator.testing.ControlPlaneExtension;
import io.cachemode.operator.testing.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator on the real control plane with an administrator's outbound policy that allows health
 * checks to {@code localhost} only and provider APIs to their default hosts: destinations outside
 * it are refused as {@code DestinationNotAllowed} before any request (the local servers count what
 * reaches them), and a redirect is not followed.
 */
@ExtendWith(ControlPlaneExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutboundPolicyIT {
  private static final OutboundPolicy POLICY =
      OutboundPolicy.of(Map.of(Purpose.HealthCheck, "localhost"), false);

  private final MockWebServer app = new MockWebServer();
  private final MockWebServer elsewhere = new MockWebServer();
  private final MockWebServer upstash = new MockWebServer();
  private Fixtures fx;
  private RunningOperator operator;

  @BeforeAll
  void start(KubernetesClient client, TestNamespace ns) throws IOException {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    app.start(loopback, 0);
    elsewhere.start(loopback, 0);
    upstash.start(loopback, 0);
    fx = new Fixtures(client, ns.name());
    operator = RunningOperator.watching(client, ns.name(), POLICY);
  }

  @AfterAll
  void stop() throws IOException {
    operator.close();
    app.shutdown();
    elsewhere.shutdown();
    upstash.shutdown();
  }

  @Test
  void aHealthCheckOutsideThePolicyIsRefusedAndARedirectIsNotFollowed() throws Exception {
    for (int i = 0; i < 10; i++) {
      app.enqueue(
          new MockResponse()
              .setResponseCode(302)
              .setHeader("Location", "http://localhost:" + elsewhere.getPort() + "/health"));
    }
    fx.secret("web-env", Map.of("SUSPEND_REDIS", "false"));
    fx.deployment("web", 1);
    fx.create(
        """
        apiVersion: cachemode.io/v1alpha1
        kind: CacheMode
        metadata: {name: web-redis}
        spec:
          suspend: true
          target:
            kubernetes:
              secretRef: {name: web-env}
              workloads: [{kind: Deployment, name: web}]
          healthChecks:
            - {name: by-address, url: "http://127.0.0.1:%d/health", attempts: 2, interval: 100ms}
            - {name: redirected, url: "http://localhost:%d/health", attempts: 1}
          rollbackOnFailure: false
        """
            .formatted(app.getPort(), app.getPort()));

    List<HealthCheckStatus> checks = awaitHealthChecks("web-redis", 2);
    HealthCheckStatus refused = byName(checks, "by-address");
    assertThat(refused.getResult()).isEqualTo(CheckResult.Inconclusive);
    assertThat(refused.getAttempts()).isZero();
    assertThat(refused.getMessage())
        .isEqualTo(
            "DestinationNotAllowed: health check to 127.0.0.1 refused: not in the allowed"
                + " destinations (EGRESS_HEALTH_CHECK=localhost)");

    HealthCheckStatus redirected = byName(checks, "redirected");
    assertThat(redirected.getResult()).isEqualTo(CheckResult.Failed);
    assertThat(redirected.getHttpStatus()).isEqualTo(302);
    assertThat(redirected.getMessage())
        .isEqualTo(
            "expected status 200, got 302: redirect to localhost not followed (followRedirects:"
                + " Never)");

    // Requests of the check by address would carry "Host: 127.0.0.1:<port>".
    int requests = app.getRequestCount();
    assertThat(requests).isPositive();
    for (int i = 0; i < requests; i++) {
      assertThat(app.takeRequest(1, TimeUnit.SECONDS).getHeader("Host"))
          .isEqualTo("localhost:" + app.getPort());
    }
    assertThat(elsewhere.getRequestCount()).as("the redirect target").isZero();
  }

  @Test
  void anUpstashApiUrlOutsideThePolicyGetsNoRequestAndNoCredential() {
    fx.secret("shop-env", Map.of("SUSPEND_REDIS", "false"));
    fx.secret("upstash-api", Map.of("email", "ops@example.com", "apiKey", "upstash-key-0123"));
    fx.deployment("shop", 1);
    fx.create(
        """
        apiVersion: cachemode.io/v1alpha1
        kind: CacheMode
        metadata: {name: shop-redis}
        spec:
          suspend: true
          target:
            kubernetes:
              secretRef: {name: shop-env}
              workloads: [{kind: Deployment, name: shop}]
          requestMetrics:
            upstash:
              databaseId: db-1
              credentialsSecretRef: {name: upstash-api}
              apiUrl: "http://127.0.0.1:%d"
            window: 2s
        """
            .formatted(upstash.getPort()));

    String message =
        await("requests status of shop-redis")
            .atMost(Duration.ofMinutes(2))
            .until(
                () ->
                    Optional.ofNullable(fx.get("shop-redis").getStatus())
                        .map(s -> s.getRequests())
                        .map(r -> r.getMessage())
                        .orElse(null),
                m -> m != null);
    assertThat(message)
        .contains(
            "DestinationNotAllowed: provider API to 127.0.0.1 refused: not in the allowed"
                + " destinations (EGRESS_PROVIDER_API=api.upstash.com,api.machines.dev)")
        .doesNotContain("upstash-key-0123")
        .doesNotContain("ops@example.com");
    assertThat(upstash.getRequestCount()).isZero();
  }

  private List<HealthCheckStatus> awaitHealthChecks(String name, int count) {
    return await("health checks of " + name)
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                Optional.ofNullable(fx.get(name).getStatus())
                    .map(s -> s.getHealthChecks())
                    .orElse(List.of()),
            l -> l != null && l.size() == count);
  }

  private static HealthCheckStatus byName(List<HealthCheckStatus> checks, String name) {
    return checks.stream().filter(c -> c.getName().equals(name)).findFirst().orElseThrow();
  }
}
