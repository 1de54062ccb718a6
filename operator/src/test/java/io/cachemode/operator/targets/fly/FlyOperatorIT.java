package io.cachemode.operator.targets.fly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.Phase;
import io.cachemode.operator.api.ValueState;
import io.cachemode.operator.api.WorkloadResult;
import io.cachemode.operator.api.WorkloadStatus;
import io.cachemode.operator.api.WriteRecord;
import io.cachemode.operator.it.OperatorInNamespace;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The operator on the real control plane driving Fly apps: a local server following Fly's published
 * Machines API contract ({@link FakeFlyApi}) stands in for api.machines.dev; the client code path
 * is the production one, through the reconcile core as it is.
 */
class FlyOperatorIT extends OperatorInNamespace {
  private static final String TOKEN = LocalFlyApp.TOKEN;
  private static final String KEY = "SUSPEND_REDIS";
  private static final Duration LONG = Duration.ofMinutes(3);

  /** One Fly app on a local server, and the CacheMode that suspends its Redis. */
  final class FlyApp implements AutoCloseable {
    final String name;
    final LocalFlyApp local;
    final FakeFlyApi fly;

    FlyApp(String name) throws IOException {
      this.name = name;
      this.local = new LocalFlyApp(name);
      this.fly = local.fly;
    }

    String config() {
      return local.config();
    }

    CacheMode suspend() {
      fx.secret(name + "-token", Map.of("token", TOKEN));
      return fx.create(local.cacheMode(name + "-token", "{timeout: 3m}"));
    }

    CacheMode awaitStatus(String what, Predicate<CacheMode> condition) {
      await(name + ": " + what)
          .atMost(LONG)
          .pollInterval(Duration.ofMillis(500))
          .until(() -> Optional.ofNullable(fx.get(name)).map(condition::test).orElse(false));
      return fx.get(name);
    }

    CacheMode awaitPhase(Phase phase) {
      return awaitStatus(
          "phase " + phase, cm -> cm.getStatus() != null && cm.getStatus().getPhase() == phase);
    }

    /** The last update Fly accepted for each machine carried the recorded write's version. */
    void assertUpdatesCarry(WriteRecord lastWrite, String... ids) {
      for (String id : ids) {
        List<FakeFlyApi.Call> accepted = fly.acceptedUpdatesOf(id);
        assertThat(accepted).as("accepted updates of " + id).isNotEmpty();
        assertThat(accepted.get(accepted.size() - 1).json().path("min_secrets_version").asLong())
            .as("min_secrets_version sent to " + id)
            .isEqualTo(lastWrite.getSecretsVersion());
      }
    }

    @Override
    public void close() throws IOException {
      client.resources(CacheMode.class).inNamespace(ns).withName(name).delete();
      local.close();
    }
  }

  static WorkloadStatus workload(CacheMode cm, String id) {
    return cm.getStatus().getWorkloads().stream()
        .filter(w -> w.getName().equals(id))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void suspendsAThreeMachineAppWithoutAnySecretValueEverReturned() throws IOException {
    try (FlyApp app = new FlyApp("atom-three")) {
      FakeFlyApi fly = app.fly.readLag(2);
      fly.secret(KEY, "fa61a13817d73a23").secret("DATABASE_URL", "postgres://db-password");
      // Fly's secret values never reach status, Events, logs or metrics (checked after the class).
      hygiene.sensitive("fa61a13817d73a23");
      hygiene.sensitive("postgres://db-password");
      String listedBefore = fly.digestOf(KEY);
      for (String id : List.of("m1", "m2", "m3")) {
        fly.machine(id, "started", app.config());
      }
      app.suspend();

      CacheMode cm = app.awaitPhase(Phase.Suspended);

      assertThat(fly.secretValue(KEY)).isEqualTo("true");
      assertThat(fly.secretValue("DATABASE_URL")).isEqualTo("postgres://db-password");
      assertThat(fly.secretWrites()).as("one write").hasSize(1);
      WriteRecord lastWrite = cm.getStatus().getSecret().getLastWrite();
      assertThat(lastWrite.getValue()).isEqualTo("true");
      assertThat(lastWrite.getDigest()).isEqualTo(fly.digestOf(KEY));
      assertThat(lastWrite.getUpdatedAt()).isEqualTo(fly.updatedAtOf(KEY));
      assertThat(lastWrite.getSecretsVersion()).isEqualTo(fly.secretsVersion());
      for (String id : List.of("m1", "m2", "m3")) {
        assertThat(fly.acceptedUpdatesOf(id)).as("each machine updated exactly once").hasSize(1);
        assertThat(fly.runningValue(id, KEY)).as(id + " runs the new value").isEqualTo("true");
        assertThat(fly.metadata(id, "cachemode_flag_hash"))
            .isEqualTo(cm.getStatus().getAppliedValueHash());
      }
      app.assertUpdatesCarry(lastWrite, "m1", "m2", "m3");
      assertThat(cm.getStatus().getSecret().getBefore().getState()).isEqualTo(ValueState.Unknown);
      assertThat(cm.getStatus().getSecret().getBefore().getDigest()).isEqualTo(listedBefore);
      assertThat(cm.getStatus().getSecret().getBefore().getNote())
          .startsWith("Fly does not reveal secret values; the operator has not written this one");
      assertThat(cm.getStatus().getWorkloads())
          .extracting(WorkloadStatus::getKind, WorkloadStatus::getResult)
          .containsOnly(org.assertj.core.groups.Tuple.tuple("Machine", WorkloadResult.Complete));
      assertThat(fly.calls())
          .allSatisfy(c -> assertThat(c.authorization()).isEqualTo("Bearer " + TOKEN));
      assertThat(fly.calls())
          .as("no request asks for values")
          .noneMatch(c -> c.url().queryParameterNames().contains("show_secrets"));
      for (FakeFlyApi.Call c : fly.calls("GET", "/v1/apps/atom-three/secrets")) {
        for (JsonNode s : FakeFlyApi.parse(c.response()).path("secrets")) {
          assertThat(s.has("value")).as("no listing carries a value").isFalse();
        }
      }
    }
  }

  @Test
  void anOperatorRestartBetweenTheWriteAndTheFirstMachineUpdateStillSendsMinSecretsVersion()
      throws IOException {
    try (FlyApp app = new FlyApp("atom-restart")) {
      FakeFlyApi fly = app.fly.readLag(20);
      fly.secret(KEY, "false");
      fly.machine("m1", "started", app.config()).machine("m2", "started", app.config());
      // No machine can be updated in the reconcile that writes.
      fly.leaseHeldBy("m1", "maintenance@example.com", Duration.ofMinutes(10));
      fly.leaseHeldBy("m2", "maintenance@example.com", Duration.ofMinutes(10));
      app.suspend();

      CacheMode written =
          app.awaitStatus(
              "the write recorded in status",
              cm ->
                  cm.getStatus() != null
                      && cm.getStatus().getSecret() != null
                      && cm.getStatus().getSecret().getLastWrite() != null);
      assertThat(fly.machineUpdates()).as("no machine updated before the restart").isEmpty();
      restartOperator();
      fly.releaseForeignLease("m1");
      fly.releaseForeignLease("m2");

      app.awaitPhase(Phase.Suspended);

      WriteRecord lastWrite = written.getStatus().getSecret().getLastWrite();
      app.assertUpdatesCarry(lastWrite, "m1", "m2");
      assertThat(fly.secretWrites())
          .as("the recorded write is recognised, not repeated")
          .hasSize(1);
      assertThat(fly.runningValue("m1", KEY)).isEqualTo("true");
      assertThat(fly.runningValue("m2", KEY)).isEqualTo("true");
    }
  }

  @Test
  void aMachineLeasedBySomeoneElseIsWaitedForNotOverwritten() throws IOException {
    try (FlyApp app = new FlyApp("atom-lease")) {
      FakeFlyApi fly = app.fly;
      fly.secret(KEY, "false");
      for (String id : List.of("m1", "m2", "m3")) {
        fly.machine(id, "started", app.config());
      }
      fly.leaseHeldBy("m2", "deployer@example.com", Duration.ofMinutes(10));
      app.suspend();

      CacheMode waiting =
          app.awaitStatus(
              "m1 and m3 done, m2 waiting for its lease",
              cm ->
                  cm.getStatus() != null
                      && cm.getStatus().getWorkloads() != null
                      && cm.getStatus().getWorkloads().size() == 3
                      && workload(cm, "m1").getResult() == WorkloadResult.Complete
                      && workload(cm, "m3").getResult() == WorkloadResult.Complete);
      assertThat(workload(waiting, "m2").getResult()).isEqualTo(WorkloadResult.Pending);
      assertThat(workload(waiting, "m2").getMessage())
          .startsWith(
              "waiting for the machine's lease: machine ID m2 lease currently held by"
                  + " deployer@example.com")
          .endsWith("retried on the next look, never taken over");
      assertThat(waiting.getStatus().getPhase()).isEqualTo(Phase.RollingOut);
      assertThat(fly.updatesOf("m2")).as("never overwritten while leased").isEmpty();
      assertThat(fly.leased("m2")).as("the lease is not taken over").isTrue();

      fly.releaseForeignLease("m2");
      app.awaitPhase(Phase.Suspended);
      assertThat(fly.acceptedUpdatesOf("m2")).hasSize(1);
      assertThat(fly.runningValue("m2", KEY)).isEqualTo("true");
    }
  }

  @Test
  void aConcurrentDeployIsNotOverwritten() throws IOException {
    try (FlyApp app = new FlyApp("atom-deploy")) {
      FakeFlyApi fly = app.fly;
      String deployment2 = "registry.fly.io/atom-deploy:deployment-2";
      fly.secret(KEY, "false");
      fly.machine("m1", "started", app.config()).machine("m2", "started", app.config());
      // m1: the deploy lands between the operator's listing and its lease.
      fly.onLease("m1", () -> fly.deploy("m1", deployment2));
      // m2: it lands just before the operator's update (current_version is then stale).
      fly.onUpdate("m2", () -> fly.deploy("m2", deployment2));
      CacheMode cm = app.suspend();

      cm = app.awaitPhase(Phase.Suspended);

      for (String id : List.of("m1", "m2")) {
        assertThat(fly.machine(id).at("/config/image").asText())
            .as(id + " keeps the deployed image")
            .isEqualTo(deployment2);
        assertThat(fly.metadata(id, "cachemode_flag_hash"))
            .isEqualTo(cm.getStatus().getAppliedValueHash());
        assertThat(fly.acceptedUpdatesOf(id))
            .singleElement()
            .satisfies(
                c -> assertThat(c.json().at("/config/image").asText()).isEqualTo(deployment2));
        assertThat(fly.runningValue(id, KEY)).isEqualTo("true");
      }
      assertThat(fly.updatesOf("m2"))
          .extracting(FakeFlyApi.Call::status)
          .as("the stale update was refused, then m2 was updated from its new config")
          .containsExactly(412, 200);
    }
  }

  @Test
  void driftByAnotherWriterIsRepairedOnceAndReported() throws IOException {
    try (FlyApp app = new FlyApp("atom-drift")) {
      FakeFlyApi fly = app.fly;
      fly.secret(KEY, "false");
      fly.machine("m1", "started", app.config()).machine("m2", "started", app.config());
      app.suspend();
      CacheMode first = app.awaitPhase(Phase.Suspended);
      String firstWrite = first.getStatus().getSecret().getLastWrite().getWrittenAt();

      // Someone runs `fly secrets set SUSPEND_REDIS=false`; flyctl rolls the machines.
      fly.flySecretsSet(KEY, "false");
      String changedAt = fly.updatedAtOf(KEY);
      assertThat(fly.runningValue("m1", KEY)).isEqualTo("false");
      // Fly has no watch: the operator notices at its next look (here, a restart).
      restartOperator();

      app.awaitStatus("repaired", cm -> fly.secretWrites().size() == 2);
      assertThat(fly.secretValue(KEY)).isEqualTo("true");
      await("the repair reported")
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(fx.events(app.name))
                      .anySatisfy(
                          e -> {
                            assertThat(e.getReason()).isEqualTo("DriftRepaired");
                            assertThat(e.getMessage())
                                .isEqualTo(
                                    "Fly app atom-drift secret SUSPEND_REDIS was changed by"
                                        + " another writer (the store does not say who) at "
                                        + changedAt
                                        + "; writing true back");
                          }));
      assertThat(fx.get(app.name).getStatus().getSecret().getLastRepairAt()).isNotNull();

      // The machines booted with the other writer's value: each is updated again for the repair.
      CacheMode repaired =
          app.awaitStatus(
              "every machine updated again for the repair",
              cm ->
                  cm.getStatus().getPhase() == Phase.Suspended
                      && "true".equals(fly.runningValue("m1", KEY))
                      && "true".equals(fly.runningValue("m2", KEY)));
      app.assertUpdatesCarry(repaired.getStatus().getSecret().getLastWrite(), "m1", "m2");
      assertThat(fly.acceptedUpdatesOf("m1")).as("once per write").hasSize(2);
      assertThat(firstWrite)
          .isNotEqualTo(repaired.getStatus().getSecret().getLastWrite().getWrittenAt());

      // Repaired once: the next look recognises the repair as the operator's own write.
      int reads = fly.calls("GET", "/v1/apps/atom-drift/secrets").size();
      restartOperator();
      await("the next look reads the flag")
          .atMost(LONG)
          .until(() -> fly.calls("GET", "/v1/apps/atom-drift/secrets").size() > reads);
      assertThat(app.awaitPhase(Phase.Suspended).getStatus().getSecret().getCurrent().getNote())
          .startsWith("known from the operator's own write at");
      assertThat(fly.acceptedUpdatesOf("m1")).hasSize(2);
      assertThat(fly.secretWrites()).hasSize(2);
    }
  }

  @Test
  void aStoppedMachineIsUpdatedButNotStartedAndAnIncompleteOneIsSkippedAndReported()
      throws IOException {
    try (FlyApp app = new FlyApp("atom-mixed")) {
      FakeFlyApi fly = app.fly;
      fly.secret(KEY, "false");
      fly.machine("m1", "started", app.config())
          .machine("m2", "stopped", app.config())
          .machine("m3", "started", app.config())
          .unreachable("m3");
      app.suspend();

      CacheMode cm = app.awaitPhase(Phase.Suspended);

      assertThat(fly.acceptedUpdatesOf("m2"))
          .singleElement()
          .satisfies(c -> assertThat(c.json().path("skip_launch").asBoolean()).isTrue());
      assertThat(fly.machine("m2").path("state").asText())
          .as("updated, not started")
          .isEqualTo("created");
      assertThat(fly.runningValue("m2", KEY))
          .as("it boots with the new value only when someone starts it")
          .isEqualTo("false");
      assertThat(workload(cm, "m2").getResult()).isEqualTo(WorkloadResult.Complete);

      assertThat(fly.calls().stream().filter(c -> c.path().contains("/machines/m3")))
          .as("no lease or update is sent to an unreachable machine")
          .isEmpty();
      assertThat(workload(cm, "m3").getResult()).isEqualTo(WorkloadResult.Skipped);
      assertThat(workload(cm, "m3").getMessage())
          .startsWith(
              "skipped: its host is unreachable and Fly returned only an incomplete config");
      assertThat(fly.acceptedUpdatesOf("m1")).hasSize(1);
      assertThat(fly.runningValue("m1", KEY)).isEqualTo("true");
    }
  }
}
