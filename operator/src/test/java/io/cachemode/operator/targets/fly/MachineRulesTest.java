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

  /** The change machine() marks machines updated for: HASH at secrets version 7. */
  static final Change CHANGE = new Change(HASH, OptionalLong.of(7), true);

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
      WorkloadState s =
          MachineRules.state(machine("m1", "started", CHECKED, null, null), CHANGE, null);
      assertThat(s.result()).isEqualTo(WorkloadResult.Pending);
      assertThat(s.flagHash()).isNull();
      assertThat(s.kind()).isEqualTo("Machine");
      assertThat(s.name()).isEqualTo("m1");
    }

    @Test
    void anotherHashIsPending() {
      WorkloadState s =
          MachineRules.state(
              machine("m1", "started", CHECKED, "ffffffffffffffff", null), CHANGE, null);
      assertThat(s.result()).isEqualTo(WorkloadResult.Pending);
      assertThat(s.flagHash()).as("only the change in progress counts").isNull();
      assertThat(s.restartedAt()).as("an earlier roll's time would end this one early").isNull();
    }

    @ParameterizedTest
    @CsvSource({"replacing", "created", "starting", "stopping"})
    void notStartedIsRollingOut(String state) {
      WorkloadState s =
          MachineRules.state(machine("m1", state, UNCHECKED, HASH, null), CHANGE, null);
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
          .put(MachineRules.SECRETS_VERSION_KEY, "7")
          .put(MachineRules.REPLACED_INSTANCE_KEY, OLD_INSTANCE);
      n.set("config", c);
      WorkloadState s = MachineRules.state(FlyMachine.from(n), CHANGE, null);
      assertThat(s.result()).isEqualTo(WorkloadResult.RollingOut);
      assertThat(s.message()).contains("not applied yet");
      assertThat(s.updatedReplicas()).isZero();
    }

    @Test
    void startedWithoutConfiguredChecksIsComplete() {
      WorkloadState s =
          MachineRules.state(machine("m1", "started", UNCHECKED, HASH, null), CHANGE, null);
      assertThat(s.result()).isEqualTo(WorkloadResult.Complete);
      assertThat(s.message()).isNull();
      assertThat(s.readyReplicas()).isOne();
      assertThat(s.updatedReplicas()).isOne();
    }

    @Test
    void startedWithConfiguredChecksButNoResultsIsRollingOut() {
      WorkloadState s =
          MachineRules.state(machine("m1", "started", CHECKED, HASH, "[]"), CHANGE, null);
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
              CHANGE,
              null);
      assertThat(s.result()).isEqualTo(WorkloadResult.RollingOut);
      assertThat(s.message())
          .isEqualTo("health checks not passing: servicecheck-00-http-8080 critical");
    }

    @Test
    void aWarningCheckIsNotPassing() {
      WorkloadState s =
          MachineRules.state(
              machine("m1", "started", CHECKED, HASH, checks("alive:warning", "svc:passing")),
              CHANGE,
              null);
      assertThat(s.result()).isEqualTo(WorkloadResult.RollingOut);
    }

    @Test
    void allChecksPassingIsComplete() {
      WorkloadState s =
          MachineRules.state(
              machine("m1", "started", CHECKED, HASH, checks("alive:passing", "svc:passing")),
              CHANGE,
              null);
      assertThat(s.result()).isEqualTo(WorkloadResult.Complete);
      assertThat(s.complete()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"failed", "destroying", "destroyed"})
    void failedOrDestroyedAfterTheUpdateIsFailed(String state) {
      WorkloadState s = MachineRules.state(machine("m1", state, CHECKED, HASH, null), CHANGE, null);
      assertThat(s.result()).isEqualTo(WorkloadResult.Failed);
      assertThat(s.message()).isEqualTo("machine is " + state + " after the update");
    }

    @Test
    void failedBeforeTheUpdateIsPendingBecauseTheUpdateRelaunchesIt() {
      WorkloadState s =
          MachineRules.state(machine("m1", "failed", CHECKED, null, null), CHANGE, null);
      assertThat(s.result()).isEqualTo(WorkloadResult.Pending);
      assertThat(s.message()).contains("relaunches");
    }

    @ParameterizedTest
    @CsvSource({"stopped", "suspended"})
    void restingWithStartOnDemandIsComplete(String state) {
      WorkloadState s =
          MachineRules.state(machine("m1", state, AUTOSTOP, HASH, null), CHANGE, null);
      assertThat(s.result()).isEqualTo(WorkloadResult.Complete);
      assertThat(s.readyReplicas()).isZero();
    }

    @Test
    void stoppedWithoutStartOnDemandIsRollingOut() {
      WorkloadState s =
          MachineRules.state(machine("m1", "stopped", CHECKED, HASH, null), CHANGE, null);
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
  class Versions {
    @Test
    void aMachineUpdatedBeforeTheLatestWriteDoesNotCarryTheChange() {
      FlyMachine m = machine("m1", "started", UNCHECKED, HASH, null); // version 7
      Change later = new Change(HASH, OptionalLong.of(9), true);
      assertThat(MachineRules.carries(m, CHANGE)).isTrue();
      assertThat(MachineRules.carries(m, new Change(HASH, OptionalLong.of(6), true))).isTrue();
      assertThat(MachineRules.carries(m, later)).isFalse();
      WorkloadState s = MachineRules.state(m, later, null);
      assertThat(s.result()).isEqualTo(WorkloadResult.Pending);
      assertThat(s.flagHash()).isNull();
      assertThat(s.message())
          .isEqualTo(
              "updated for this value before the operator's latest write (secrets version 9), so"
                  + " it is updated again to boot with it");
    }

    @Test
    void withoutAKnownVersionTheHashIsEnough() {
      FlyMachine m = machine("m1", "started", UNCHECKED, HASH, null);
      assertThat(MachineRules.carries(m, new Change(HASH, OptionalLong.empty(), true))).isTrue();
    }

    @Test
    void withoutAWriteOnRecordNoMachineCarriesTheChange() {
      FlyMachine m = machine("m1", "started", UNCHECKED, HASH, null);
      Change firstContact = new Change(HASH, OptionalLong.empty(), false);
      assertThat(MachineRules.carries(m, firstContact)).isFalse();
      assertThat(MachineRules.state(m, firstContact, null).message())
          .isEqualTo(
              "no write of the operator is on record, so what it booted with is unknown; it is"
                  + " updated to boot with the operator's write");
      assertThat(MachineRules.candidates(List.of(m), firstContact)).containsExactly(m);
    }

    @Test
    void aNoteFromTheLastAttemptExplainsAPendingMachine() {
      WorkloadState s =
          MachineRules.state(
              machine("m1", "started", UNCHECKED, null, null), CHANGE, "waiting for the lease");
      assertThat(s.result()).isEqualTo(WorkloadResult.Pending);
      assertThat(s.message()).isEqualTo("waiting for the lease");
    }
  }

  @Nested
  class NotUpdatable {
    static FlyMachine unreachable(String hash) {
      ObjectNode n = FakeFlyApi.JSON.createObjectNode();
      n.put("id", "m9");
      n.put("state", "unknown");
      n.put("host_status", "unreachable");
      n.put("instance_id", OLD_INSTANCE);
      ObjectNode partial = n.putObject("incomplete_config");
      partial.put("image", "registry.fly.io/atom-saas:deployment-1");
      if (hash != null) {
        partial
            .putObject("metadata")
            .put(MachineRules.HASH_KEY, hash)
            .put(MachineRules.SECRETS_VERSION_KEY, "7")
            .put(MachineRules.REPLACED_INSTANCE_KEY, "01JDEARLIER");
      }
      return FlyMachine.from(n);
    }

    @Test
    void anUnreachableMachineWithAnIncompleteConfigIsSkippedAndSaysWhy() {
      FlyMachine m = unreachable(null);
      assertThat(m.configComplete()).isFalse();
      assertThat(m.config().path("image").asText())
          .as("metadata is still read from incomplete_config, like fly-go GetConfig")
          .isEqualTo("registry.fly.io/atom-saas:deployment-1");
      WorkloadState s = MachineRules.state(m, CHANGE, null);
      assertThat(s.result()).isEqualTo(WorkloadResult.Skipped);
      assertThat(s.complete()).as("the roll does not wait for it").isTrue();
      assertThat(s.message())
          .isEqualTo(
              "skipped: its host is unreachable and Fly returned only an incomplete config; the"
                  + " operator does not update it, so it keeps its old value until it is updated"
                  + " by hand once its host is back");
      assertThat(MachineRules.candidates(List.of(m), CHANGE)).isEmpty();
    }

    @Test
    void aBadHostStatusAloneIsEnoughToSkip() {
      ObjectNode n =
          (ObjectNode) json("{\"id\":\"m1\",\"state\":\"started\",\"host_status\":\"unknown\"}");
      n.set("config", json(UNCHECKED));
      FlyMachine m = FlyMachine.from(n);
      assertThat(m.notUpdatable()).contains("its host is unknown");
      assertThat(MachineRules.state(m, CHANGE, null).result()).isEqualTo(WorkloadResult.Skipped);
    }

    @Test
    void aMachineThatCarriedTheChangeBeforeItsHostWentAwayIsNotSkipped() {
      WorkloadState s = MachineRules.state(unreachable(HASH), CHANGE, null);
      assertThat(s.result()).isEqualTo(WorkloadResult.RollingOut);
      assertThat(s.flagHash()).isEqualTo(HASH);
    }

    @Test
    void aMissingHostStatusCountsAsOk() {
      assertThat(machine("m1", "started", UNCHECKED, null, null).notUpdatable()).isEmpty();
    }
  }

  @Nested
  class FromTheApi {
    @Test
    void compatChecksAreDropped() {
      FlyMachine m =
          machine(
              "m1",
              "started",
              CHECKED,
              HASH,
              checks(
                  "alive:passing",
                  "servicecheck-00-http-8080:passing",
                  "bg_deployments_compat_http:critical",
                  "bg_deployments_compat:warning"));
      assertThat(m.checks())
          .extracting(FlyMachine.CheckStatus::name)
          .containsExactly("alive", "servicecheck-00-http-8080");
      assertThat(MachineRules.state(m, CHANGE, null).result()).isEqualTo(WorkloadResult.Complete);
    }

    @Test
    void imageRefIsAnObject() {
      ObjectNode n = (ObjectNode) json("{\"id\":\"m1\"}");
      n.set(
          "image_ref",
          json(
              "{\"registry\":\"registry.fly.io\",\"repository\":\"atom-saas\","
                  + "\"tag\":\"deployment-2\",\"digest\":\"sha256:ab\",\"labels\":{}}"));
      assertThat(FlyMachine.from(n).imageRef())
          .map(Object::toString)
          .contains("registry.fly.io/atom-saas:deployment-2@sha256:ab");
      assertThat(FlyMachine.from(json("{\"id\":\"m1\",\"image_ref\":\"x\"}")).imageRef()).isEmpty();
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
      FlyMachine release =
          machine(
              "a3",
              "started",
              "{\"image\":\"x\",\"metadata\":{\"fly_process_group\":\"fly_app_release_command\"}}",
              null,
              null);
      FlyMachine console =
          machine(
              "a4",
              "started",
              "{\"image\":\"x\",\"metadata\":{\"fly_process_group\":\"fly_app_console\"}}",
              null,
              null);
      FlyMachine m3 = machine("m3", "started", UNCHECKED, null, null);
      FlyMachine m2 = machine("m2", "stopped", UNCHECKED, null, null);
      assertThat(
              MachineRules.managed(
                  List.of(m3, oneOff, destroying, destroyingUpdated, release, console, m2), HASH))
          .extracting(FlyMachine::id)
          .containsExactly("a2", "m2", "m3");
    }

    @Test
    void candidatesAreTheMachinesWithoutTheChangeWhenNothingIsInFlight() {
      List<FlyMachine> ms =
          List.of(
              machine("m1", "started", UNCHECKED, HASH, null),
              machine("m2", "started", UNCHECKED, null, null),
              machine("m3", "started", UNCHECKED, null, null));
      assertThat(MachineRules.candidates(ms, CHANGE))
          .extracting(FlyMachine::id)
          .containsExactly("m2", "m3");
    }

    @Test
    void noCandidateWhileAnUpdatedMachineIsNotComplete() {
      List<FlyMachine> ms =
          List.of(
              machine("m1", "started", CHECKED, HASH, checks("alive:critical")),
              machine("m2", "started", CHECKED, null, null));
      assertThat(MachineRules.candidates(ms, CHANGE)).isEmpty();
    }

    @Test
    void noCandidateAfterAFailedMachine() {
      List<FlyMachine> ms =
          List.of(
              machine("m1", "failed", UNCHECKED, HASH, null),
              machine("m2", "started", UNCHECKED, null, null));
      assertThat(MachineRules.candidates(ms, CHANGE)).isEmpty();
    }

    @Test
    void noCandidateWhenEveryMachineCarriesTheChange() {
      List<FlyMachine> ms =
          List.of(
              machine("m1", "started", UNCHECKED, HASH, null),
              machine("m2", "stopped", AUTOSTOP, HASH, null));
      assertThat(MachineRules.candidates(ms, CHANGE)).isEmpty();
    }

    @Test
    void machinesOfAnEarlierChangeAreUpdatedAgainForANewHash() {
      List<FlyMachine> ms = List.of(machine("m1", "started", UNCHECKED, "ffffffffffffffff", null));
      assertThat(MachineRules.candidates(ms, CHANGE))
          .extracting(FlyMachine::id)
          .containsExactly("m1");
    }
  }

  @Nested
  class UpdateInput {
    @Test
    void sendsTheFullConfigWithMetadataCurrentVersionAndMinSecretsVersion() {
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
      ObjectNode input =
          MachineRules.updateInput(m, new Change(HASH, OptionalLong.of(42), true), now);

      ObjectNode expectedConfig = (ObjectNode) json(config);
      ((ObjectNode) expectedConfig.get("metadata"))
          .put(MachineRules.HASH_KEY, HASH)
          .put(MachineRules.RESTARTED_AT_KEY, "2026-11-29T03:04:05Z")
          .put(MachineRules.REPLACED_INSTANCE_KEY, OLD_INSTANCE)
          .put(MachineRules.SECRETS_VERSION_KEY, "42");
      assertThat(input.get("config")).isEqualTo(expectedConfig);
      assertThat(input.get("min_secrets_version").asLong()).isEqualTo(42);
      assertThat(input.get("current_version").asText()).isEqualTo(OLD_INSTANCE);
      assertThat(input.get("region").asText()).isEqualTo("ams");
      assertThat(input.has("skip_launch")).isFalse();
      assertThat(m.config().path("metadata").has(MachineRules.HASH_KEY))
          .as("the machine read from the API is not modified")
          .isFalse();
    }

    @Test
    void withoutAKnownVersionSendsNoMinSecretsVersion() {
      FlyMachine m = machine("m1", "started", UNCHECKED, null, null);
      ObjectNode input =
          MachineRules.updateInput(m, new Change(HASH, OptionalLong.empty(), true), Instant.EPOCH);
      assertThat(input.has("min_secrets_version")).isFalse();
      assertThat(input.path("config").path("metadata").has(MachineRules.SECRETS_VERSION_KEY))
          .isFalse();
      assertThat(input.path("config").path("metadata").path(MachineRules.HASH_KEY).asText())
          .isEqualTo(HASH);
    }

    /** flyctl {@code shouldSkipLaunch}: launch only what is started, starting or failed. */
    @ParameterizedTest
    @CsvSource({
      "started,false",
      "starting,false",
      "failed,false",
      "stopped,true",
      "suspended,true",
      "created,true",
      "stopping,true",
      "replacing,true"
    })
    void skipLaunchFollowsFlyctl(String state, boolean skip) {
      FlyMachine m = machine("m1", state, CHECKED, null, null);
      ObjectNode input = MachineRules.updateInput(m, CHANGE, Instant.EPOCH);
      assertThat(MachineRules.skipLaunch(m)).isEqualTo(skip);
      assertThat(input.path("skip_launch").asBoolean(false)).isEqualTo(skip);
      assertThat(input.path("config").path("metadata").has(MachineRules.SKIPPED_LAUNCH_KEY))
          .isEqualTo(skip);
    }

    @ParameterizedTest
    @CsvSource({"created", "stopped", "suspended"})
    void aMachineUpdatedWithoutLaunchIsCompleteWhileItRests(String state) {
      ObjectNode n = (ObjectNode) json("{\"id\":\"m1\",\"instance_id\":\"" + NEW_INSTANCE + "\"}");
      n.put("state", state);
      ObjectNode c = (ObjectNode) json(CHECKED);
      ((ObjectNode) c.get("metadata"))
          .put(MachineRules.HASH_KEY, HASH)
          .put(MachineRules.SECRETS_VERSION_KEY, "7")
          .put(MachineRules.REPLACED_INSTANCE_KEY, OLD_INSTANCE)
          .put(MachineRules.SKIPPED_LAUNCH_KEY, "true");
      n.set("config", c);
      WorkloadState s = MachineRules.state(FlyMachine.from(n), CHANGE, null);
      assertThat(s.result()).isEqualTo(WorkloadResult.Complete);
      assertThat(s.readyReplicas()).isZero();
    }
  }
}
