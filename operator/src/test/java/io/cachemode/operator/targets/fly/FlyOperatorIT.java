package io.cachemode.operator.targets.fly;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.Phase;
import io.cachemode.operator.api.ValueState;
import io.cachemode.operator.it.OperatorInNamespace;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;

/**
 * The operator on the real control plane driving a Fly app: a local server that follows the
 * documented Machines API contract stands in for api.machines.dev; the client code path is the
 * production one.
 */
class FlyOperatorIT extends OperatorInNamespace {
  private static final String TOKEN = "fo1_local-test-token";
  private static final String CONFIG =
      "{\"image\":\"registry.fly.io/atom-saas:deployment-1\",\"env\":{}}";

  @Test
  void suspendsRedisOnAFlyAppRollingMachinesOneAtATime() throws Exception {
    FakeFlyApi fly =
        new FakeFlyApi("atom-saas", "Bearer " + TOKEN)
            .secret("SUSPEND_REDIS", "fa61a13817d73a23")
            .secret("DATABASE_URL", "postgres://db")
            .machine("m1", "started", CONFIG)
            .machine("m2", "started", CONFIG);
    ScheduledExecutorService boots = Executors.newSingleThreadScheduledExecutor();
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(fly);
      server.start();
      boots.scheduleAtFixedRate(fly::bootReplacedMachines, 1, 1, TimeUnit.SECONDS);
      fx.secret("fly-api", Map.of("token", TOKEN));
      fx.create(
          """
          apiVersion: cachemode.io/v1alpha1
          kind: CacheMode
          metadata: {name: fly-redis}
          spec:
            suspend: true
            target:
              fly:
                app: atom-saas
                tokenSecretRef: {name: fly-api, key: token}
                apiUrl: %s
            rollout: {timeout: 2m}
          """
              .formatted(server.url("/").toString().replaceAll("/$", "")));

      CacheMode cm = fx.awaitPhase("fly-redis", Phase.Suspended);

      assertThat(fly.secretValue("SUSPEND_REDIS")).isEqualTo("true");
      assertThat(fly.secretValue("DATABASE_URL")).isEqualTo("postgres://db");
      assertThat(fly.updatesOf("m1")).as("each machine updated exactly once").hasSize(1);
      assertThat(fly.updatesOf("m2")).hasSize(1);
      assertThat(
              fly.machine("m1")
                  .path("config")
                  .path("metadata")
                  .path("cachemode_flag_hash")
                  .asText())
          .isEqualTo(cm.getStatus().getAppliedValueHash());
      assertThat(cm.getStatus().getSecret().getBefore().getState())
          .isEqualTo(ValueState.DigestLike);
      assertThat(cm.getStatus().getWorkloads())
          .extracting(w -> w.getKind())
          .containsOnly("Machine");
      assertThat(fly.calls())
          .allSatisfy(c -> assertThat(c.authorization()).isEqualTo("Bearer " + TOKEN));
    } finally {
      boots.shutdownNow();
    }
  }
}
