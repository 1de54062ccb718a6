package io.cachemode.operator.it;

import static io.cachemode.operator.it.Fixtures.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.CheckResult;
import io.cachemode.operator.api.Phase;
import io.cachemode.operator.api.RequestVerdict;
import io.cachemode.operator.testing.RedisGetLoad;
import io.cachemode.operator.testing.RedisServerProcess;
import io.fabric8.kubernetes.api.model.Event;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/**
 * Verification end to end: a real redis-server whose GET traffic follows the app's Secret, a local
 * HTTP app whose health follows it too, and the operator on the real control plane deciding from
 * what it measures.
 */
class VerificationIT extends OperatorInNamespace {
  @RegisterExtension final RedisServerProcess redis = RedisServerProcess.withoutPassword();

  @Test
  void suspendingCutsRedisGetsAndTheVerdictIsReduced() throws Exception {
    fx.secret("shop-env", Map.of("SUSPEND_REDIS", Fixtures.DIGEST));
    fx.secret("redis-conn", Map.of("url", redis.url()));
    fx.deployment("shop", 1);
    AtomicBoolean suspended = fx.appReadsSuspend("shop-env");
    try (RedisGetLoad load = RedisGetLoad.start(redis, () -> !suspended.get())) {
      await().atMost(Duration.ofSeconds(10)).until(() -> load.gets() > 200);
      Thread.sleep(2000); // let redis' uptime grow so the since-start baseline is a real rate
      long infoBefore = infoCalls();

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
              redis: {addressSecretRef: {name: redis-conn, key: url}}
              window: 6s
              expectReductionPercent: 95
          """);
      CacheMode cm = fx.awaitPhase("shop-redis", Phase.Suspended);

      var requests = cm.getStatus().getRequests();
      assertThat(requests.getSource()).isEqualTo("redis");
      assertThat(requests.getCommand()).isEqualTo("GET");
      assertThat(requests.getBefore().getPerMinute()).isGreaterThan(1000.0);
      assertThat(requests.getBefore().getMethod()).isEqualTo("CommandStats");
      assertThat(requests.getBefore().getReason())
          .startsWith(
              "Auto: INFO commandstats serves cmdstat_get; cmdstat_get averaged since the server"
                  + " started ");
      assertThat(requests.getAfter().getMethod()).isEqualTo("CommandStats");
      assertThat(requests.getAfter().getPerMinute())
          .isLessThan(requests.getBefore().getPerMinute() * 0.05);
      assertThat(requests.getDeltaPercent()).isLessThanOrEqualTo(-95.0);
      assertThat(requests.getVerdict()).isEqualTo(RequestVerdict.Reduced);
      assertThat(condition(cm, "RequestsReduced"))
          .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
      assertThat(cm.getStatus().getHistory()).extracting(h -> h.getTo()).contains(Phase.Verifying);
      assertThat(operator.counter("cachemode.request.verdicts", "verdict", "Reduced")).isEqualTo(1);

      // The operator's own traffic: a baseline, a window start, a window end and the next
      // (watch) window's start, each INFO commandstats + server, plus Auto's one INFO
      // commandstats per meter that is used.
      long operatorCalls = infoCalls() - infoBefore - 1;
      assertThat(operatorCalls).isBetween(3L, 14L);
      Thread.sleep(3000);
      assertThat(infoCalls() - infoBefore - 2).as("no traffic while idle").isEqualTo(operatorCalls);
    }
  }

  @Test
  void prometheusWithNoDataAfterTheFlipIsInconclusiveNeverAPass() throws Exception {
    fx.secret("feed-env", Map.of("SUSPEND_REDIS", "false"));
    fx.deployment("feed", 1);
    AtomicBoolean suspended = fx.appReadsSuspend("feed-env");
    try (MockWebServer prometheus = new MockWebServer()) {
      prometheus.setDispatcher(
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
              String result =
                  suspended.get() ? "[]" : "[{\"metric\":{},\"value\":[1764380000,\"25\"]}]";
              return new MockResponse()
                  .setHeader("Content-Type", "application/json")
                  .setBody(
                      "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
                          + result
                          + "}}");
            }
          });
      prometheus.start();
      fx.create(
          """
          apiVersion: cachemode.io/v1alpha1
          kind: CacheMode
          metadata: {name: feed-redis}
          spec:
            suspend: true
            target:
              kubernetes:
                secretRef: {name: feed-env}
                workloads: [{kind: Deployment, name: feed}]
            requestMetrics:
              prometheus:
                url: %s
                query: sum(rate(redis_commands_total{cmd="get"}[5s]))
              window: 5s
          """
              .formatted(prometheus.url("/").toString()));
      CacheMode cm = fx.awaitCondition("feed-redis", "Verified", "Inconclusive");

      assertThat(cm.getStatus().getPhase())
          .as("no data is never a pass")
          .isEqualTo(Phase.Verifying);
      assertThat(condition(cm, "Ready"))
          .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("False"));
      var requests = cm.getStatus().getRequests();
      assertThat(requests.getSource()).isEqualTo("prometheus");
      assertThat(requests.getBefore().getPerMinute()).isEqualTo(1500.0);
      assertThat(requests.getAfter()).isNull();
      assertThat(requests.getVerdict()).isEqualTo(RequestVerdict.Inconclusive);
      assertThat(condition(cm, "RequestsReduced"))
          .hasValueSatisfying(
              c -> {
                assertThat(c.getStatus()).isEqualTo("Unknown");
                assertThat(c.getReason()).isEqualTo("Inconclusive");
              });
      assertThat(prometheus.getRequestCount()).as("one query before, one after").isEqualTo(2);
      RecordedRequest first = prometheus.takeRequest();
      assertThat(first.getRequestUrl().queryParameter("query")).contains("redis_commands_total");
    }
  }

  @Test
  void failedHealthAfterTheFlipRollsBackAndSaysWhy() throws Exception {
    fx.secret("web-env", Map.of("SUSPEND_REDIS", "false"));
    fx.deployment("web", 1);
    AtomicBoolean suspended = fx.appReadsSuspend("web-env");
    HttpServer app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    app.createContext(
        "/health",
        ex -> {
          byte[] body =
              (suspended.get() ? "{\"redis\":\"missing config\"}" : "{\"redis\":\"up\"}")
                  .getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(suspended.get() ? 503 : 200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    app.start();
    try {
      int rsBefore = fx.replicaSets("web").size();
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
              - name: api
                url: http://127.0.0.1:%d/health
                expect: {status: 200, jsonPointer: /redis, jsonValue: up}
                attempts: 2
                interval: 500ms
                timeout: 2s
            rollbackOnFailure: true
          """
              .formatted(app.getAddress().getPort()));
      CacheMode cm = fx.awaitPhase("web-redis", Phase.RolledBack);

      assertThat(fx.secretValue("web-env", "SUSPEND_REDIS")).isEqualTo("false");
      assertThat(fx.replicaSets("web").size() - rsBefore)
          .as("one restart for the change, one for the rollback")
          .isEqualTo(2);
      assertThat(cm.getStatus().getHistory())
          .filteredOn(h -> h.getTo() == Phase.RollingBack)
          .singleElement()
          .satisfies(
              h -> {
                assertThat(h.getReason()).isEqualTo("HealthCheckFailed");
                assertThat(h.getMessage())
                    .contains("api Failed")
                    .contains("expected status 200, got 503");
              });
      assertThat(cm.getStatus().getHealth())
          .as("health after the rollback")
          .isEqualTo(CheckResult.Passed);
      assertThat(condition(cm, "Ready"))
          .hasValueSatisfying(
              c -> {
                assertThat(c.getStatus()).isEqualTo("False");
                assertThat(c.getReason()).isEqualTo("RolledBack");
                assertThat(c.getMessage()).contains("HealthCheckFailed");
              });
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(fx.events("web-redis"))
                      .extracting(Event::getReason)
                      .contains("HealthCheckFailed", "RollingBack", "RolledBack"));
      assertThat(operator.counter("cachemode.rollbacks", "result", "RolledBack")).isEqualTo(1);

      // A rolled-back generation is final: nothing is retried until the spec changes.
      int rsAfter = fx.replicaSets("web").size();
      Thread.sleep(3000);
      assertThat(fx.get("web-redis").getStatus().getPhase()).isEqualTo(Phase.RolledBack);
      assertThat(fx.replicaSets("web")).hasSize(rsAfter);
    } finally {
      app.stop(0);
    }
  }

  @Test
  void rolloutPastItsDeadlineRollsBackAndAFailingRollbackEndsFailed() {
    fx.secret("stuck-env", Map.of("SUSPEND_REDIS", "false"));
    // Pods that can never be scheduled: no rollout of this Deployment can complete.
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .resource(
            Fixtures.deploymentOf("stuck", 1)
                .editSpec()
                .editTemplate()
                .editSpec()
                .addToNodeSelector("disk", "does-not-exist")
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
    fx.create(
        """
        apiVersion: cachemode.io/v1alpha1
        kind: CacheMode
        metadata: {name: stuck-redis}
        spec:
          suspend: true
          target:
            kubernetes:
              secretRef: {name: stuck-env}
              workloads: [{kind: Deployment, name: stuck}]
          rollout: {timeout: 4s}
        """);
    CacheMode cm = fx.awaitPhase("stuck-redis", Phase.Failed);
    assertThat(cm.getStatus().getHistory())
        .extracting(h -> h.getTo())
        .containsSubsequence(Phase.RollingOut, Phase.RollingBack, Phase.Failed);
    assertThat(cm.getStatus().getHistory())
        .filteredOn(h -> h.getTo() == Phase.RollingBack)
        .singleElement()
        .satisfies(h -> assertThat(h.getReason()).isEqualTo("RolloutTimedOut"));
    assertThat(condition(cm, "Ready"))
        .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("RollbackFailed"));
    assertThat(fx.secretValue("stuck-env", "SUSPEND_REDIS"))
        .as("previous value written back")
        .isEqualTo("false");
    assertThat(operator.counter("cachemode.rollbacks", "result", "Failed")).isEqualTo(1);
  }

  private long infoCalls() {
    try (Jedis j = redis.client()) {
      String line =
          j.info("commandstats")
              .lines()
              .filter(l -> l.startsWith("cmdstat_info:"))
              .findFirst()
              .orElse("cmdstat_info:calls=0,");
      return Long.parseLong(line.replaceAll("^cmdstat_info:calls=(\\d+),.*", "$1"));
    }
  }
}
