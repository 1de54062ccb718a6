package io.cachemode.operator.targets.fly;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cachemode.operator.api.WorkloadResult;
import io.cachemode.operator.targets.WorkloadState;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MachineRulesTest {
  static final String HASH = "0123456789abcdef";
  static final String OLD_INSTANCE = "01JDOLDINSTANCE0000000000";
  static final String NEW_INSTANCE = "01JDNEWINSTANCE0000000000";

  /** One service check plus one top-level check, no autostop. */
  static final String CHECKED =
      """
      {"image":"registry.fly.io/atom-saas:deployment-1",
       "metadata":{"fly_process_group":"app"},
       "services":[{"internal_port":8080,"autostop":"off","autostart":false,
                    "checks":[{"type":"http","path":"/health"}]}],
       "checks":{"alive":{"type":"tcp","port":8080}}}
      """;

  static final String UNCHECKED = "{\"image\":\"registry.fly.io/atom-saas:deployment-1\"}";

  static final String AUTOSTOP =
      """
      {"image":"registry.fly.io/atom-saas:deployment-1",
       "services":[{"internal_port":8080,"autostop":"stop","autostart":true}]}
      """;

  /** A machine as the API returns it, after (hash != null) or before an update. */
  static FlyMachine machine(
      String id, String state, String config, String hash, String checksJson) {
    ObjectNode n = FakeFlyApi.JSON.createObjectNode();
    n.put("id", id);
    n.put("name", "machine-" + id);
    n.put("state", state);
    n.put("region", "ams");
    n.put("instance_id", hash == null ? OLD_INSTANCE : NEW_INSTANCE);
    ObjectNode c = (ObjectNode) json(config);
    if (hash != null) {
      ObjectNode md = c.has("metadata") ? (ObjectNode) c.get("metadata") : c.putObject("metadata");
      md.put(MachineRules.HASH_KEY, hash);
      md.put(MachineRules.RESTARTED_AT_KEY, "2026-11-29T03:00:00Z");
      md.put(MachineRules.REPLACED_INSTANCE_KEY, OLD_INSTANCE);
      md.put(MachineRules.SECRETS_VERSION_KEY, "7");
    }
    n.set("config", c);
    n.set("checks", json(checksJson == null ? "[]" : checksJson));
    return FlyMachine.from(n);
  }

  static JsonNode json(String s) {
    try {
      return FakeFlyApi.JSON.readTree(s);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String checks(String... nameStatus) {
    StringBuilder sb = new StringBuilder("[");
    for (String ns : nameStatus) {
      String[] p = ns.split(":");
      sb.append(sb.length() > 1 ? "," : "")
          .append("{\"name\":\"")
          .append(p[0])
          .append("\",\"status\":\"")
          .append(p[1])
          .append("\"}");
    }
    return sb.append("]").toString();
  }

  @Nested
  class State {
    @Test
    void withoutTheHashIsPending() {
      WorkloadState s = MachineRules.state(machine("m1", "started", CHECKED, null, null), HASH);
      assertThat(s.result()).isEqualTo(WorkloadResult.Pending);
      assertThat(s.flagHash()).isNull();
      assertThat(s.kind()).isEqualTo("Machine");
      assertThat(s.name()).isEqualTo("m1");
    }

    @Test
    void anotherHashIsPending() {
      WorkloadState s =
          MachineRules.state(machine("m1", "started", CHECKED, "ffffffffffffffff", null), HASH);
      assertThat(s.result()).isEqualTo(WorkloadResult.Pending);
      assertThat(s.flagHash()).isEqualTo("ffffffffffffffff");
    }

    @ParameterizedTest
    @CsvSource({"replacing", "created", "starting", "stopping"})
    void notStartedIsRollingOut(String state) {
      WorkloadState s = MachineRules.state(machine("m1", state, UNCHECKED, HASH, null), HASH);
      assertThat(s.result()).isEqualTo(WorkloadResult.RollingOut);
      assertThat(s.message()).isEqualTo("machine is " + state);
      assertThat(s.restartedAt()).isEqualTo("2026-11-29T03:00:00Z");
    }

    @Test
    void stillTheReplacedInstanceIsRollingOutEvenWhenStarted() {
      ObjectNode n = FakeFlyApi.JSON.createObjectNode();
      n.put("id", "m1");
      n.put("state", "started");
      n.put("instance_id", OLD_INSTANCE);
      ObjectNode c = (ObjectNode) json(UNCHECKED);
      c.putObject("metadata")
          .put(MachineRules.HASH_KEY, HASH)
          .put(MachineRules.REPLACED_INSTANCE_KEY, OLD_INSTANCE);
      n.set("config", c);
      WorkloadState s = MachineRules.state(FlyMachine.from(n), HASH);
      assertThat(s.result()).isEqualTo(WorkloadResult.RollingOut);
      assertThat(s.message()).contains("not applied yet");
      assertThat(s.updatedReplicas()).isZero();
    }

    @Test
    void startedWithoutConfiguredChecksIsComplete() {
      WorkloadState s = MachineRules.state(machine("m1", "started", UNCHECKED, HASH, null), HASH);
      assertThat(s.result()).isEqualTo(WorkloadResult.Complete);
      assertThat(s.message()).isNull();
      assertThat(s.readyReplicas()).isOne();
      assertThat(s.updatedReplicas()).isOne();
    }

    @Test
    void startedWithConfiguredChecksButNoResultsIsRollingOut() {
      WorkloadState s = MachineRules.state(machine("m1", "started", CHECKED, HASH, "[]"), HASH);
      assertThat(s.result()).isEqualTo(WorkloadResult.RollingOut);
      assertThat(s.message()).contains("first result of 2 configured health checks");
      assertThat(s.readyReplicas()).isZero();
    }

    @Test
    void aCriticalCheckKeepsItRollingOut() {
      WorkloadState s =
          MachineRules.state(
              machine(
                  "m1",
                  "started",
                  CHECKED,
                  HASH,
                  checks("alive:passing", "servicecheck-00-http-8080:critical")),
              HASH);
      assertThat(s.result()).isEqualTo(WorkloadResult.RollingOut);
      assertThat(s.message())
          .isEqualTo("health checks not passing: servicecheck-00-http-8080 critical");
    }

    @Test
    void aWarningCheckIsNotPassing() {
      WorkloadState s =
          MachineRules.state(
              machine("m1", "started", CHECKED, HASH, checks("alive:warning", "svc:passing")),
              HASH);
      assertThat(s.result()).isEqualTo(WorkloadResult.RollingOut);
    }

    @Test
    void allChecksPassingIsComplete() {
      WorkloadState s =
          MachineRules.state(
              machine("m1", "started", CHECKED, HASH, checks("alive:passing", "svc:passing")),
              HASH);
      assertThat(s.result()).isEqualTo(WorkloadResult.Complete);
      assertThat(s.complete()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"failed", "destroying", "destroyed"})
    void failedOrDestroyedAfterTheUpdateIsFailed(String state) {
      WorkloadState s = MachineRules.state(machine("m1", state, CHECKED, HASH, null), HASH);
      assertThat(s.result()).isEqualTo(WorkloadResult.Failed);
      assertThat(s.message()).isEqualTo("machine is " + state + " after the update");
    }

    @Test
    void failedBeforeTheUpdateIsPendingBecauseTheUpdateRelaunchesIt() {
      WorkloadState s = MachineRules.state(machine("m1", "failed", CHECKED, null, null), HASH);
      assertThat(s.result()).isEqualTo(WorkloadResult.Pending);
      assertThat(s.message()).contains("relaunches");
    }

    @ParameterizedTest
    @CsvSource({"stopped", "suspended"})
    void restingWithStartOnDemandIsComplete(String state) {
      WorkloadState s = MachineRules.state(machine("m1", state, AUTOSTOP, HASH, null), HASH);
      assertThat(s.result()).isEqualTo(WorkloadResult.Complete);
      assertThat(s.readyReplicas()).isZero();
    }

    @Test
    void stoppedWithoutStartOnDemandIsRollingOut() {
      WorkloadState s = MachineRules.state(machine("m1", "stopped", CHECKED, HASH, null), HASH);
      assertThat(s.result()).isEqualTo(WorkloadResult.RollingOut);
      assertThat(s.message()).isEqualTo("machine is stopped");
    }
  }

  @Nested
  class Config {
    @Test
    void countsTopLevelAndServiceChecks() {
      assertThat(MachineRules.configuredChecks(json(CHECKED))).isEqualTo(2);
      assertThat(MachineRules.configuredChecks(json(UNCHECKED))).isZero();
      assertThat(
              MachineRules.configuredChecks(
                  json(
                      "{\"services\":[{\"checks\":[{},{}]},{\"checks\":[{}]},{}],"
                          + "\"checks\":{\"a\":{},\"b\":{}}}")))
          .isEqualTo(5);
    }

    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "{\"services\":[{\"autostop\":true}]}|true",
          "{\"services\":[{\"autostop\":false}]}|false",
          "{\"services\":[{\"autostop\":\"off\"}]}|false",
          "{\"services\":[{\"autostop\":\"stop\"}]}|true",
          "{\"services\":[{\"autostop\":\"suspend\"}]}|true",
          "{\"services\":[{\"autostop\":\"off\",\"autostart\":true}]}|true",
          "{\"services\":[{}]}|false",
          "{\"standbys\":[\"m2\"]}|true",
          "{}|false"
        })
    void startsOnDemand(String config, boolean expected) {
      assertThat(MachineRules.startsOnDemand(json(config))).isEqualTo(expected);
    }
  }

  @Nested
  class Rolling {
    @Test
    void managedLeavesOutOneOffAndDisappearingMachinesAndSortsById() {
      FlyMachine oneOff =
          machine("a0", "started", "{\"image\":\"x\",\"auto_destroy\":true}", null, null);
      FlyMachine destroying = machine("a1", "destroying", UNCHECKED, null, null);
      FlyMachine destroyingUpdated = machine("a2", "destroying", UNCHECKED, HASH, null);
      FlyMachine m3 = machine("m3", "started", UNCHECKED, null, null);
      FlyMachine m2 = machine("m2", "stopped", UNCHECKED, null, null);
      assertThat(MachineRules.managed(List.of(m3, oneOff, destroying, destroyingUpdated, m2), HASH))
          .extracting(FlyMachine::id)
          .containsExactly("a2", "m2", "m3");
    }

    @Test
    void nextIsTheFirstMachineWithoutTheHashWhenNothingIsInFlight() {
      List<FlyMachine> ms =
          List.of(
              machine("m1", "started", UNCHECKED, HASH, null),
              machine("m2", "started", UNCHECKED, null, null),
              machine("m3", "started", UNCHECKED, null, null));
      assertThat(MachineRules.next(ms, HASH)).map(FlyMachine::id).contains("m2");
    }

    @Test
    void nextWaitsWhileAnUpdatedMachineIsNotComplete() {
      List<FlyMachine> ms =
          List.of(
              machine("m1", "started", CHECKED, HASH, checks("alive:critical")),
              machine("m2", "started", CHECKED, null, null));
      assertThat(MachineRules.next(ms, HASH)).isEmpty();
    }

    @Test
    void nextStopsAtAFailedMachine() {
      List<FlyMachine> ms =
          List.of(
              machine("m1", "failed", UNCHECKED, HASH, null),
              machine("m2", "started", UNCHECKED, null, null));
      assertThat(MachineRules.next(ms, HASH)).isEmpty();
    }

    @Test
    void nextIsEmptyWhenEveryMachineCarriesTheHash() {
      List<FlyMachine> ms =
          List.of(
              machine("m1", "started", UNCHECKED, HASH, null),
              machine("m2", "stopped", AUTOSTOP, HASH, null));
      assertThat(MachineRules.next(ms, HASH)).isEmpty();
    }

    @Test
    void machinesOfAnEarlierChangeAreUpdatedAgainForANewHash() {
      List<FlyMachine> ms = List.of(machine("m1", "started", UNCHECKED, "ffffffffffffffff", null));
      assertThat(MachineRules.next(ms, HASH)).map(FlyMachine::id).contains("m1");
    }

    @Test
    void recordedSecretsVersionIsTheHighestOnMachinesWithTheHash() {
      ObjectNode n = FakeFlyApi.JSON.createObjectNode();
      n.put("id", "m9");
      n.set(
          "config",
          json(
              "{\"metadata\":{\""
                  + MachineRules.HASH_KEY
                  + "\":\""
                  + HASH
                  + "\",\""
                  + MachineRules.SECRETS_VERSION_KEY
                  + "\":\"12\"}}"));
      List<FlyMachine> ms =
          List.of(
              machine("m1", "started", UNCHECKED, HASH, null), // version 7
              FlyMachine.from(n),
              machine("m2", "started", UNCHECKED, null, null));
      assertThat(MachineRules.recordedSecretsVersion(ms, HASH)).hasValue(12);
      assertThat(MachineRules.recordedSecretsVersion(ms, "ffffffffffffffff")).isEmpty();
    }
  }

  @Nested
  class UpdateInput {
    @Test
    void sendsTheFullConfigWithMetadataAndMinSecretsVersion() {
      String config =
          """
          {"image":"registry.fly.io/atom-saas:deployment-1","env":{"PORT":"8080"},
           "guest":{"cpu_kind":"shared","cpus":1,"memory_mb":512},
           "metadata":{"fly_platform_version":"v2","fly_process_group":"app"},
           "services":[{"internal_port":8080,"autostop":"off"}],
           "some_future_field":{"kept":true}}
          """;
      FlyMachine m = machine("m1", "started", config, null, null);
      Instant now = Instant.parse("2026-11-29T03:04:05Z");
      ObjectNode input = MachineRules.updateInput(m, HASH, now, OptionalLong.of(42));

      ObjectNode expectedConfig = (ObjectNode) json(config);
      ((ObjectNode) expectedConfig.get("metadata"))
          .put(MachineRules.HASH_KEY, HASH)
          .put(MachineRules.RESTARTED_AT_KEY, "2026-11-29T03:04:05Z")
          .put(MachineRules.REPLACED_INSTANCE_KEY, OLD_INSTANCE)
          .put(MachineRules.SECRETS_VERSION_KEY, "42");
      assertThat(input.get("config")).isEqualTo(expectedConfig);
      assertThat(input.get("min_secrets_version").asLong()).isEqualTo(42);
      assertThat(input.get("region").asText()).isEqualTo("ams");
      assertThat(input.has("skip_launch")).isFalse();
      assertThat(m.config().path("metadata").has(MachineRules.HASH_KEY))
          .as("the machine read from the API is not modified")
          .isFalse();
    }

    @Test
    void withoutAKnownVersionSendsNoMinSecretsVersion() {
      FlyMachine m = machine("m1", "started", UNCHECKED, null, null);
      ObjectNode input = MachineRules.updateInput(m, HASH, Instant.EPOCH, OptionalLong.empty());
      assertThat(input.has("min_secrets_version")).isFalse();
      assertThat(input.path("config").path("metadata").has(MachineRules.SECRETS_VERSION_KEY))
          .isFalse();
      assertThat(input.path("config").path("metadata").path(MachineRules.HASH_KEY).asText())
          .isEqualTo(HASH);
    }

    @Test
    void aStoppedMachineThatStartsOnDemandIsNotLaunched() {
      FlyMachine m = machine("m1", "stopped", AUTOSTOP, null, null);
      assertThat(
              MachineRules.updateInput(m, HASH, Instant.EPOCH, OptionalLong.empty())
                  .path("skip_launch")
                  .asBoolean())
          .isTrue();
    }

    @Test
    void aStoppedMachineWithoutStartOnDemandIsLaunched() {
      FlyMachine m = machine("m1", "stopped", CHECKED, null, null);
      assertThat(
              MachineRules.updateInput(m, HASH, Instant.EPOCH, OptionalLong.empty())
                  .has("skip_launch"))
          .isFalse();
    }
  }
}
