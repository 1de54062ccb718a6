package io.cachemode.operator.targets.fly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cachemode.operator.api.WorkloadResult;
import io.cachemode.operator.targets.FlagReading;
import io.cachemode.operator.targets.Target.ReferenceProblem;
import io.cachemode.operator.targets.TargetException;
import io.cachemode.operator.targets.WorkloadState;
import io.cachemode.operator.targets.WriteReceipt;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** FlyTarget against {@link FakeFlyApi} on a local MockWebServer. */
class FlyTargetTest {
  static final String APP = "atom-saas";
  static final String KEY = "SUSPEND_REDIS";
  static final String TOKEN = "fo1_Zk9yVGVzdHNPbmx5Tm90QVJlYWxUb2tlbjEyMzQ1";
  static final String MACAROON =
      "fm2_lJPECAAAAAAAAMRtxBBNotARealMacaroonForTests1234,fm2_lJPETheSecondCaveatPart5678";
  static final String HASH = "0123456789abcdef";
  static final Instant NOW = Instant.parse("2026-11-29T03:00:00Z");
  static final String DEPLOYMENT_2 = "registry.fly.io/atom-saas:deployment-02";

  /** A Fly Launch machine config: image, guest, env, release metadata, one service check. */
  static final String CONFIG =
      """
      {"image":"registry.fly.io/atom-saas:deployment-01","init":{},
       "guest":{"cpu_kind":"shared","cpus":1,"memory_mb":512},
       "env":{"PORT":"8080","FLY_PROCESS_GROUP":"app"},
       "metadata":{"fly_platform_version":"v2","fly_process_group":"app",
                   "fly_release_id":"Rel_1","fly_release_version":"7"},
       "restart":{"policy":"on-failure","max_retries":10},
       "services":[{"protocol":"tcp","internal_port":8080,"autostop":"off","autostart":false,
                    "ports":[{"port":443,"handlers":["tls","http"]}],
                    "checks":[{"type":"http","interval":"15s","timeout":"2s","path":"/health"}]}]}
      """;

  static final String CHECK = "servicecheck-00-http-8080";

  MockWebServer server;
  FakeFlyApi fly;
  OkHttpClient http =
      new OkHttpClient.Builder()
          .readTimeout(Duration.ofSeconds(5))
          .callTimeout(Duration.ofSeconds(10))
          .build();

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    fly = new FakeFlyApi(APP, "Bearer " + TOKEN).fixedClock();
    server.setDispatcher(fly);
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  FlyTarget target() {
    return target(TOKEN, Optional.empty());
  }

  /** A target of a later reconcile, which knows the operator's last write from status only. */
  FlyTarget target(WriteReceipt lastWrite) {
    return target(TOKEN, Optional.of(lastWrite));
  }

  FlyTarget target(String token, Optional<WriteReceipt> lastWrite) {
    return new FlyTarget(http, server.url("/").toString(), APP, KEY, token, lastWrite);
  }

  /** One reconcile's calls, in the reconciler's order. */
  static void reconcileSteps(FlyTarget t) {
    assertThat(t.validate()).isEmpty();
    t.readFlag();
    t.rolloutState(HASH);
  }

  @Test
  void describesTheAppAndKey() {
    assertThat(target().location().toString()).isEqualTo("Fly app atom-saas secret SUSPEND_REDIS");
  }

  @Nested
  class Validate {
    @Test
    void unknownAppIsAppNotFound() {
      fly.withoutApp();
      assertThat(target().validate())
          .containsExactly(
              new ReferenceProblem(
                  "AppNotFound", "spec.target.fly.app: Fly app atom-saas not found"));
    }

    @Test
    void refusedTokenIsFlyUnauthorized() {
      fly.machine("m1", "started", CONFIG);
      List<ReferenceProblem> problems =
          target("fo1_SomeOtherTokenTheServerDoesNotKnow", Optional.empty()).validate();
      assertThat(problems).extracting(ReferenceProblem::reason).containsExactly("FlyUnauthorized");
      assertThat(problems.get(0).message())
          .isEqualTo(
              "spec.target.fly.tokenSecretRef: the Fly API refused the token for app atom-saas"
                  + " (HTTP 401); use a token that may manage the app's machines and set its"
                  + " secrets (fly tokens create deploy -a atom-saas)")
          .doesNotContain("fo1_SomeOtherTokenTheServerDoesNotKnow");
    }

    @Test
    void forbiddenSecretsAreFlyUnauthorized() {
      fly.machine("m1", "started", CONFIG);
      fly.failNext("GET", "/secrets", FakeFlyApi.error(403, "forbidden"));
      List<ReferenceProblem> problems = target().validate();
      assertThat(problems).extracting(ReferenceProblem::reason).containsExactly("FlyUnauthorized");
      assertThat(problems.get(0).message()).contains("refused to list the secrets").contains("403");
    }

    @Test
    void appWithoutMachinesIsNoMachines() {
      assertThat(target().validate())
          .extracting(ReferenceProblem::reason)
          .containsExactly("NoMachines");
    }

    @Test
    void oneOffMachinesDoNotCount() {
      fly.machine("m1", "started", "{\"image\":\"x\",\"auto_destroy\":true}");
      assertThat(target().validate())
          .containsExactly(
              new ReferenceProblem(
                  "NoMachines",
                  "spec.target.fly.app: Fly app atom-saas has no machines to update (deploy it"
                      + " first; one-off machines do not count)"));
    }

    @Test
    void anAppWhoseSecretValuesAreHiddenIsValid() {
      fly.machine("m1", "started", CONFIG).secret(KEY, "fa61a13817d73a23");
      assertThat(target().validate()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"500", "502"})
    void transientErrorsAreThrown(int status) {
      fly.machine("m1", "started", CONFIG);
      fly.failNext(FakeFlyApi.error(status, "try later"));
      assertThatThrownBy(() -> target().validate())
          .isInstanceOf(TargetException.class)
          .hasMessage("Fly API GET /v1/apps/atom-saas/machines returned " + status + ": try later");
    }

    @Test
    void rateLimitSaysSoAndWhenToComeBack() {
      fly.failNext(FakeFlyApi.rateLimit("2"));
      TargetException e = (TargetException) catchThrowable(() -> target().validate());
      assertThat(e)
          .hasMessage(
              "Fly API GET /v1/apps/atom-saas/machines returned 429 (rate limited, retry after"
                  + " 2s): rate limit exceeded");
      assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
    }
  }

  @Nested
  class Read {
    @Test
    void anAbsentKeyIsMissing() {
      fly.secret("DATABASE_URL", "postgres://x");
      FlagReading r = target().readFlag();
      assertThat(r.known()).isTrue();
      assertThat(r.value()).isEmpty();
      assertThat(r.note()).isEmpty();
    }

    @Test
    void aKeyTheOperatorNeverWroteIsUnknownAndNoValueIsAskedFor() {
      fly.secret("DATABASE_URL", "postgres://x").secret(KEY, "fa61a13817d73a23");
      FlagReading r = target().readFlag();
      assertThat(r.known()).isFalse();
      assertThat(r.value()).isEmpty();
      assertThat(r.version().orElseThrow().digest()).isEqualTo(fly.digestOf(KEY));
      assertThat(r.version().orElseThrow().updatedAt()).isEqualTo(fly.updatedAtOf(KEY));
      assertThat(r.note())
          .contains(
              "Fly does not reveal secret values; the operator has not written this one (Fly lists"
                  + " digest "
                  + fly.digestOf(KEY)
                  + ", updated_at "
                  + fly.updatedAtOf(KEY)
                  + ")");
      assertThat(fly.calls())
          .noneMatch(c -> c.url().queryParameterNames().contains("show_secrets"));
      assertThat(fly.calls("GET", "/v1/apps/atom-saas/secrets"))
          .singleElement()
          .satisfies(c -> assertThat(c.authorization()).isEqualTo("Bearer " + TOKEN))
          .satisfies(c -> assertThat(c.response()).doesNotContain("fa61a13817d73a23"));
    }

    @Test
    void theOperatorsOwnWriteIsKnownInALaterReconcile() {
      fly.secret(KEY, "fa61a13817d73a23");
      WriteReceipt receipt = target().writeFlag("true", NOW);

      FlagReading r = target(receipt).readFlag();

      assertThat(r.known()).isTrue();
      assertThat(r.value()).contains("true");
      assertThat(r.version().orElseThrow().secretsVersion()).isEqualTo(fly.secretsVersion());
      assertThat(r.note())
          .contains(
              "known from the operator's own write at 2026-11-29T03:00:00Z: Fly still lists the"
                  + " digest and updated_at recorded right after it");
    }

    @Test
    void readsAskForTheVersionOfTheLastWriteBecauseUnversionedListingsLag() {
      fly.readLag(3).secret(KEY, "fa61a13817d73a23");
      fly.advance(Duration.ofMinutes(1));
      WriteReceipt receipt = target().writeFlag("true", NOW);

      FlagReading unversioned = target().readFlag();
      assertThat(unversioned.version().orElseThrow().digest())
          .as("the fake's lag is real: an unversioned listing still shows the old digest")
          .isNotEqualTo(receipt.version().digest());

      FlagReading versioned = target(receipt).readFlag();
      assertThat(versioned.value()).contains("true");
      FakeFlyApi.Call read = fly.calls("GET", "/v1/apps/atom-saas/secrets").get(2);
      assertThat(read.query("min_version")).isEqualTo(Long.toString(fly.secretsVersion()));
      assertThat(read.query("version")).isEqualTo(Long.toString(fly.secretsVersion()));
    }

    @Test
    void aChangeBySomeoneElseIsUnknownAndSaysWhatFlyLists() {
      fly.secret(KEY, "fa61a13817d73a23");
      WriteReceipt receipt = target().writeFlag("true", NOW);
      fly.advance(Duration.ofMinutes(5));
      fly.flySecretsSet(KEY, "false");

      FlagReading r = target(receipt).readFlag();

      assertThat(r.known()).isFalse();
      assertThat(r.value()).isEmpty();
      assertThat(r.note())
          .contains(
              "changed after the operator's write at 2026-11-29T03:00:00Z: Fly lists updated_at "
                  + fly.updatedAtOf(KEY)
                  + " (right after the write: "
                  + receipt.version().updatedAt()
                  + "), a different digest "
                  + fly.digestOf(KEY)
                  + " (was "
                  + receipt.version().digest()
                  + "); Fly does not record who changed it");
    }

    @Test
    void aKeyDeletedAfterTheWriteIsMissingWithANote() {
      WriteReceipt receipt = target().writeFlag("true", NOW);
      fly.deleteSecret(KEY);
      FlagReading r = target(receipt).readFlag();
      assertThat(r.known()).isTrue();
      assertThat(r.value()).isEmpty();
      assertThat(r.note())
          .contains(
              "deleted after the operator's write at 2026-11-29T03:00:00Z: Fly no longer lists"
                  + " SUSPEND_REDIS");
    }

    @Test
    void validateThenReadListSecretsOnce() {
      fly.machine("m1", "started", CONFIG).secret(KEY, "false");
      FlyTarget t = target();
      assertThat(t.validate()).isEmpty();
      t.readFlag();
      assertThat(fly.calls("GET", "/v1/apps/atom-saas/secrets")).hasSize(1);
    }
  }

  @Nested
  class Write {
    @Test
    void sendsOnlyTheKeyAndRecordsWhatFlyListsAtTheWrittenVersion() {
      fly.readLag(5).secret("DATABASE_URL", "postgres://x").secret(KEY, "fa61a13817d73a23");
      fly.advance(Duration.ofMinutes(1));

      WriteReceipt receipt = target().writeFlag("true", NOW);

      List<FakeFlyApi.Call> writes = fly.secretWrites();
      assertThat(writes).hasSize(1);
      assertThat(writes.get(0).json())
          .isEqualTo(FakeFlyApi.parse("{\"values\":{\"SUSPEND_REDIS\":\"true\"}}"));
      assertThat(fly.secretValue(KEY)).isEqualTo("true");
      assertThat(fly.secretValue("DATABASE_URL")).isEqualTo("postgres://x");
      assertThat(receipt.value()).isEqualTo("true");
      assertThat(receipt.writtenAt()).isEqualTo("2026-11-29T03:00:00Z");
      assertThat(receipt.version().secretsVersion()).isEqualTo(fly.secretsVersion());
      assertThat(receipt.version().digest()).isEqualTo(fly.digestOf(KEY));
      assertThat(receipt.version().updatedAt()).isEqualTo(fly.updatedAtOf(KEY));
      assertThat(fly.calls("GET", "/v1/apps/atom-saas/secrets"))
          .singleElement()
          .extracting(c -> c.query("min_version"))
          .isEqualTo(Long.toString(fly.secretsVersion()));
    }

    @Test
    void aFailedListingAfterTheWriteFallsBackToTheReplyAndDoesNotThrow() {
      fly.failNext("GET", "/secrets", FakeFlyApi.rateLimit("1"));

      WriteReceipt receipt = target().writeFlag("true", NOW);

      assertThat(fly.secretValue(KEY)).isEqualTo("true");
      assertThat(receipt.version().digest()).isEqualTo(fly.digestOf(KEY));
      assertThat(receipt.version().updatedAt()).isEqualTo(fly.updatedAtOf(KEY));
      assertThat(receipt.version().secretsVersion()).isEqualTo(fly.secretsVersion());
    }

    @ParameterizedTest
    @CsvSource({"fm2_", "fm1a_", "fm1r_"})
    void macaroonsAreSentAsFlyV1(String prefix) {
      String macaroon = prefix + "lJPECAAAAAAAAMRtxBBNotARealMacaroonForTests1234";
      server.setDispatcher(fly = new FakeFlyApi(APP, "FlyV1 " + macaroon));
      target("flyv1 " + macaroon + ",fo1_userTokenThatIsNotSent", Optional.empty())
          .writeFlag("false", NOW);
      assertThat(fly.calls())
          .extracting(FakeFlyApi.Call::authorization)
          .containsOnly("FlyV1 " + macaroon);
      assertThat(fly.secretValue(KEY)).isEqualTo("false");
    }

    @Test
    void serverErrorIsThrownWithFlysText() {
      fly.failNext(FakeFlyApi.error(500, "internal error"));
      assertThatThrownBy(() -> target().writeFlag("true", NOW))
          .isInstanceOf(FlyApiException.class)
          .hasMessage("Fly API POST /v1/apps/atom-saas/secrets returned 500: internal error")
          .extracting(e -> ((FlyApiException) e).httpStatus())
          .isEqualTo(500);
    }

    @Test
    void errorsKeepErrorStatusAndMessage() {
      fly.failNext(
          new MockResponse()
              .setResponseCode(422)
              .setBody(
                  "{\"error\":\"could not reserve\",\"status\":\"insufficient_capacity\","
                      + "\"message\":\"no capacity in ams\"}"));
      FlyApiException e = (FlyApiException) catchThrowable(() -> target().writeFlag("true", NOW));
      assertThat(e.error()).isEqualTo("could not reserve");
      assertThat(e.status()).isEqualTo("insufficient_capacity");
      assertThat(e.flyMessage()).isEqualTo("no capacity in ams");
      assertThat(e)
          .hasMessage(
              "Fly API POST /v1/apps/atom-saas/secrets returned 422: no capacity in ams (status"
                  + " insufficient_capacity)");
    }
  }

  @Nested
  class Restart {
    @BeforeEach
    void twoMachines() {
      fly.secret(KEY, "false").secret("DATABASE_URL", "postgres://x");
      fly.machine("m1", "started", CONFIG).machine("m2", "started", CONFIG);
      fly.setChecks("m1", CHECK + ":passing");
      fly.setChecks("m2", CHECK + ":passing");
    }

    /** A reconcile that writes: validate, read, state, write, restart, state. */
    WriteReceipt writeAndRoll(FlyTarget t) {
      reconcileSteps(t);
      WriteReceipt receipt = t.writeFlag("true", NOW);
      t.restart(HASH, NOW);
      t.rolloutState(HASH);
      return receipt;
    }

    void boot(String id) {
      fly.bootReplacedMachines();
      fly.setChecks(id, CHECK + ":passing");
    }

    List<WorkloadResult> states(WriteReceipt receipt) {
      FlyTarget t = target(receipt);
      t.readFlag();
      return t.rolloutState(HASH).stream().map(WorkloadState::result).toList();
    }

    @Test
    void updatesOneMachineUnderItsLeaseWithFullConfigCurrentVersionAndMinSecretsVersion() {
      ObjectNode before = fly.machine("m1");
      WriteReceipt receipt = writeAndRoll(target());

      List<FakeFlyApi.Call> m1 =
          fly.calls().stream()
              .filter(c -> c.path().startsWith("/v1/apps/atom-saas/machines/m1"))
              .toList();
      assertThat(m1)
          .extracting(c -> c.method() + " " + c.path())
          .containsExactly(
              "POST /v1/apps/atom-saas/machines/m1/lease",
              "POST /v1/apps/atom-saas/machines/m1",
              "DELETE /v1/apps/atom-saas/machines/m1/lease");
      FakeFlyApi.Call lease = m1.get(0);
      assertThat(lease.json().path("ttl").asInt()).isEqualTo(LeasedUpdate.LEASE_TTL_SECONDS);
      assertThat(lease.query("ttl")).isEqualTo(Integer.toString(LeasedUpdate.LEASE_TTL_SECONDS));
      String nonce = FakeFlyApi.parse(lease.response()).at("/data/nonce").asText();
      assertThat(m1.get(1).nonce()).isEqualTo(nonce);
      assertThat(m1.get(2).nonce()).isEqualTo(nonce);
      assertThat(fly.leased("m1")).as("the lease is released").isFalse();

      JsonNode input = m1.get(1).json();
      ObjectNode expected = (ObjectNode) before.get("config").deepCopy();
      ((ObjectNode) expected.get("metadata"))
          .put("cachemode_flag_hash", HASH)
          .put("cachemode_restarted_at", "2026-11-29T03:00:00Z")
          .put("cachemode_replaced_instance", before.get("instance_id").asText())
          .put("cachemode_secrets_version", Long.toString(receipt.version().secretsVersion()));
      assertThat(input.get("config")).isEqualTo(expected);
      assertThat(input.get("min_secrets_version").asLong())
          .isEqualTo(receipt.version().secretsVersion());
      assertThat(input.get("current_version").asText())
          .isEqualTo(before.get("instance_id").asText());
      assertThat(input.has("skip_launch")).isFalse();
      assertThat(fly.updatesOf("m2")).isEmpty();
      assertThat(fly.calls("POST", "/v1/apps/atom-saas/machines/m1/restart")).isEmpty();
    }

    @Test
    void rollsOneMachineAtATimeAndNeverUpdatesAMachineTwice() {
      WriteReceipt receipt = writeAndRoll(target());
      assertThat(states(receipt))
          .containsExactly(WorkloadResult.RollingOut, WorkloadResult.Pending);

      // m1 is replacing: nothing more is updated, however often the reconcile comes back.
      assertThat(restart(receipt)).isEmpty();
      fly.bootReplacedMachines();
      assertThat(restart(receipt)).as("started, no check results yet").isEmpty();
      fly.setChecks("m1", CHECK + ":critical");
      assertThat(restart(receipt)).as("check critical").isEmpty();
      assertThat(states(receipt))
          .containsExactly(WorkloadResult.RollingOut, WorkloadResult.Pending);

      fly.setChecks("m1", CHECK + ":passing");
      assertThat(states(receipt)).containsExactly(WorkloadResult.Complete, WorkloadResult.Pending);
      assertThat(restart(receipt)).containsExactly("Machine m2");
      assertThat(restart(receipt)).isEmpty();

      boot("m2");
      assertThat(states(receipt)).containsExactly(WorkloadResult.Complete, WorkloadResult.Complete);
      assertThat(restart(receipt)).isEmpty();

      assertThat(fly.updatesOf("m1")).hasSize(1);
      assertThat(fly.updatesOf("m2")).hasSize(1);
      assertThat(fly.runningValue("m1", KEY)).isEqualTo("true");
      assertThat(fly.runningValue("m2", KEY)).isEqualTo("true");
    }

    List<String> restart(WriteReceipt receipt) {
      FlyTarget t = target(receipt);
      reconcileSteps(t);
      return t.restart(HASH, NOW);
    }

    @Test
    void compatChecksDoNotHoldTheRollBack() {
      WriteReceipt receipt = writeAndRoll(target());
      boot("m1");
      assertThat(fly.calls("GET", "/v1/apps/atom-saas/machines").get(0).response())
          .as("the fake inserts a critical compat check, as a test that could fail")
          .contains("bg_deployments_compat_http");
      assertThat(states(receipt)).containsExactly(WorkloadResult.Complete, WorkloadResult.Pending);
    }

    @Test
    void theFirstUpdateAfterAnOperatorRestartCarriesTheRecordedSecretsVersion() {
      fly.readLag(10);
      FlyTarget writer = target();
      reconcileSteps(writer);
      WriteReceipt receipt = writer.writeFlag("true", NOW);
      // The operator stops here; the next one knows the write only from status.

      FlyTarget next = target(receipt);
      reconcileSteps(next);
      assertThat(next.restart(HASH, NOW.plusSeconds(30))).containsExactly("Machine m1");

      JsonNode input = fly.updatesOf("m1").get(0).json();
      assertThat(input.get("min_secrets_version").asLong())
          .isEqualTo(receipt.version().secretsVersion());
      fly.bootReplacedMachines();
      assertThat(fly.runningValue("m1", KEY))
          .as("with min_secrets_version the machine boots with the write despite the lag")
          .isEqualTo("true");
      assertThat(fly.secretWrites())
          .as("the recorded write is recognised, not repeated")
          .hasSize(1);
    }

    @Test
    void aLeaseHeldBySomeoneElseIsWaitedForAndNeverTaken() {
      fly.leaseHeldBy("m1", "deployer@example.com", Duration.ofMinutes(5));
      FlyTarget t = target();
      reconcileSteps(t);
      WriteReceipt receipt = t.writeFlag("true", NOW);

      assertThat(t.restart(HASH, NOW)).as("the roll goes on with m2").containsExactly("Machine m2");
      WorkloadState m1 = t.rolloutState(HASH).get(0);
      assertThat(m1.result()).isEqualTo(WorkloadResult.Pending);
      assertThat(m1.message())
          .isEqualTo(
              "waiting for the machine's lease: machine ID m1 lease currently held by"
                  + " deployer@example.com, expires at 2026-11-29 03:05:00 +0000 UTC; retried on"
                  + " the next look, never taken over");
      assertThat(fly.updatesOf("m1")).isEmpty();

      boot("m2");
      assertThat(restart(receipt)).as("still leased").isEmpty();
      assertThat(fly.updatesOf("m1")).isEmpty();
      assertThat(fly.calls("DELETE", "/v1/apps/atom-saas/machines/m1/lease"))
          .as("someone else's lease is never released")
          .isEmpty();

      fly.releaseForeignLease("m1");
      assertThat(restart(receipt)).containsExactly("Machine m1");
    }

    @Test
    void atMostThreeHeldLeasesAreTriedPerCall() {
      fly.machine("m3", "started", CONFIG).machine("m4", "started", CONFIG);
      for (String id : List.of("m1", "m2", "m3", "m4")) {
        fly.leaseHeldBy(id, "deployer@example.com", Duration.ofMinutes(5));
      }
      FlyTarget t = target();
      reconcileSteps(t);
      t.writeFlag("true", NOW);
      assertThat(t.restart(HASH, NOW)).isEmpty();
      assertThat(fly.calls().stream().filter(c -> c.path().endsWith("/lease"))).hasSize(3);
      assertThat(fly.machineUpdates()).isEmpty();
    }

    @Test
    void aDeployBetweenTheListingAndTheLeaseIsNotOverwritten() {
      FlyTarget t = target();
      reconcileSteps(t);
      t.writeFlag("true", NOW);
      fly.onLease("m1", () -> fly.deploy("m1", DEPLOYMENT_2));

      assertThat(t.restart(HASH, NOW)).containsExactly("Machine m1");

      JsonNode input = fly.updatesOf("m1").get(0).json();
      assertThat(input.at("/config/image").asText())
          .as("the config was read again under the lease (lease version != listed instance)")
          .isEqualTo(DEPLOYMENT_2);
      assertThat(fly.machine("m1").at("/config/image").asText()).isEqualTo(DEPLOYMENT_2);
      assertThat(fly.calls("GET", "/v1/apps/atom-saas/machines/m1")).hasSize(1);
    }

    @Test
    void aConflictWithoutAChangeIsReportedAndRetried() {
      FlyTarget t = target();
      reconcileSteps(t);
      WriteReceipt receipt = t.writeFlag("true", NOW);
      fly.failNext(
          "POST",
          "/machines/m1",
          FakeFlyApi.error(412, "min_secrets_version 9 is not yet available"));

      assertThat(t.restart(HASH, NOW)).as("the roll goes on").containsExactly("Machine m2");

      assertThat(t.rolloutState(HASH).get(0).message())
          .isEqualTo(
              "the update met a conflict (Fly API POST /v1/apps/atom-saas/machines/m1 returned"
                  + " 412: min_secrets_version 9 is not yet available); retried on the next look");
      assertThat(fly.calls("GET", "/v1/apps/atom-saas/machines/m1")).as("read again").hasSize(1);
      boot("m2");
      assertThat(restart(receipt)).containsExactly("Machine m1");
    }

    @Test
    void aMachineChangedDuringTheUpdateIsReportedAndUpdatedFromItsNewConfigNextTime() {
      FlyTarget t = target();
      reconcileSteps(t);
      WriteReceipt receipt = t.writeFlag("true", NOW);
      String before = fly.machine("m1").get("instance_id").asText();
      // A writer that got past the lease (say it expired mid-request) deploys just before the
      // operator's update arrives, so its current_version is stale.
      fly.onUpdate("m1", () -> fly.deploy("m1", DEPLOYMENT_2));

      assertThat(t.restart(HASH, NOW)).containsExactly("Machine m2");

      String after = fly.machine("m1").get("instance_id").asText();
      WorkloadState m1 = t.rolloutState(HASH).get(0);
      assertThat(m1.result()).isEqualTo(WorkloadResult.Pending);
      assertThat(m1.message())
          .startsWith(
              "changed by someone else while the operator was updating it (instance "
                  + before
                  + " -> "
                  + after
                  + ", image registry.fly.io/atom-saas:deployment-01@sha256:")
          .contains(" -> registry.fly.io/atom-saas:deployment-02@sha256:")
          .endsWith("); not overwritten: the next look updates it from its new config");
      assertThat(fly.updatesOf("m1"))
          .singleElement()
          .extracting(FakeFlyApi.Call::status)
          .isEqualTo(412);
      assertThat(fly.machine("m1").at("/config/image").asText()).isEqualTo(DEPLOYMENT_2);

      boot("m2");
      assertThat(restart(receipt)).containsExactly("Machine m1");
      assertThat(fly.acceptedUpdatesOf("m1").get(0).json().at("/config/image").asText())
          .isEqualTo(DEPLOYMENT_2);
    }

    @Test
    void anIncompleteMachineIsSkippedAndTheRollGoesOn() {
      fly.unreachable("m1");
      FlyTarget t = target();
      reconcileSteps(t);
      WriteReceipt receipt = t.writeFlag("true", NOW);

      assertThat(t.restart(HASH, NOW)).containsExactly("Machine m2");
      assertThat(fly.calls().stream().filter(c -> c.path().contains("/machines/m1"))).isEmpty();
      boot("m2");
      List<WorkloadState> states = target(receipt).rolloutState(HASH);
      assertThat(states)
          .extracting(WorkloadState::result)
          .containsExactly(WorkloadResult.Skipped, WorkloadResult.Complete);
      assertThat(states).allMatch(WorkloadState::complete);
      assertThat(states.get(0).message()).startsWith("skipped: its host is unreachable");
    }

    @Test
    void aStoppedMachineIsUpdatedWithoutBeingStarted() {
      fly.setState("m1", "stopped");
      WriteReceipt receipt = writeAndRoll(target());

      JsonNode input = fly.updatesOf("m1").get(0).json();
      assertThat(input.get("skip_launch").asBoolean()).isTrue();
      assertThat(fly.machine("m1").get("state").asText()).isEqualTo("created");
      assertThat(target(receipt).rolloutState(HASH).get(0).result())
          .as("created after skip_launch is done, not rolling out")
          .isEqualTo(WorkloadResult.Complete);
      assertThat(restart(receipt)).containsExactly("Machine m2");
    }

    @Test
    void aRateLimitedUpdateIsNotThrownAndAsksToComeBackLater() {
      FlyTarget t = target();
      reconcileSteps(t);
      WriteReceipt receipt = t.writeFlag("true", NOW);
      fly.failNext("POST", "/machines/m1/lease", FakeFlyApi.rateLimit("30"));

      assertThat(t.restart(HASH, NOW)).isEmpty();

      assertThat(t.pollInterval()).contains(Duration.ofSeconds(30));
      assertThat(t.rolloutState(HASH).get(0).message())
          .contains("returned 429 (rate limited, retry after 30s)")
          .endsWith("; retried on the next look");
      assertThat(fly.machineUpdates()).as("m2 is not tried past a rate limit").isEmpty();
      assertThat(restart(receipt)).containsExactly("Machine m1");
      assertThat(target().pollInterval()).contains(FlyTarget.POLL_INTERVAL);
    }

    @Test
    void aChangeBySomeoneElseIsRepairedAndEveryMachineUpdatedAgain() {
      WriteReceipt first = writeAndRoll(target());
      boot("m1");
      restart(first);
      boot("m2");
      assertThat(states(first)).containsOnly(WorkloadResult.Complete);
      fly.advance(Duration.ofMinutes(5));
      fly.flySecretsSet(KEY, "false");
      assertThat(fly.runningValue("m1", KEY)).isEqualTo("false");

      FlyTarget repair = target(first);
      repair.validate();
      assertThat(repair.readFlag().known()).isFalse();
      assertThat(repair.rolloutState(HASH))
          .as("as far as the recorded write goes, the machines carry it")
          .allSatisfy(s -> assertThat(s.flagHash()).isEqualTo(HASH));
      WriteReceipt second = repair.writeFlag("true", NOW.plusSeconds(300));
      assertThat(repair.rolloutState(HASH))
          .as("after the repair every machine must boot with it")
          .allSatisfy(s -> assertThat(s.flagHash()).isNull());
      assertThat(repair.restart(HASH, NOW.plusSeconds(300))).containsExactly("Machine m1");
      assertThat(fly.updatesOf("m1").get(1).json().get("min_secrets_version").asLong())
          .isEqualTo(second.version().secretsVersion());
      boot("m1");
      assertThat(restart(second)).containsExactly("Machine m2");
      boot("m2");
      assertThat(states(second)).containsOnly(WorkloadResult.Complete);
      assertThat(fly.runningValue("m1", KEY)).isEqualTo("true");
      assertThat(fly.runningValue("m2", KEY)).isEqualTo("true");
    }

    @Test
    void machinesCarryingTheHashWithoutAWriteOnRecordAreUpdatedAgain() {
      WriteReceipt earlier = writeAndRoll(target());
      boot("m1");
      restart(earlier);
      boot("m2");
      assertThat(states(earlier)).containsOnly(WorkloadResult.Complete);

      // The status that recorded the write is gone (CacheMode recreated): first contact again.
      FlyTarget t = target();
      reconcileSteps(t);
      assertThat(t.rolloutState(HASH))
          .as("nothing says what they booted with")
          .allSatisfy(s -> assertThat(s.result()).isEqualTo(WorkloadResult.Pending));
      WriteReceipt now = t.writeFlag("true", NOW);
      assertThat(t.restart(HASH, NOW)).containsExactly("Machine m1");
      assertThat(fly.updatesOf("m1").get(1).json().get("min_secrets_version").asLong())
          .isEqualTo(now.version().secretsVersion());
    }

    @Test
    void destroyedMachinesAreHidden() {
      fly.destroy("m2");
      assertThat(target().rolloutState(HASH)).extracting(WorkloadState::name).containsExactly("m1");
      assertThat(fly.calls("GET", "/v1/apps/atom-saas/machines").get(0).query("include_deleted"))
          .isNull();
    }

    @Test
    void oneReconcileStaysWithinTheRateLimits() {
      writeAndRoll(target());
      assertThat(fly.calls())
          .extracting(c -> c.method() + " " + c.path())
          .containsExactly(
              "GET /v1/apps/atom-saas/machines",
              "GET /v1/apps/atom-saas/secrets",
              "POST /v1/apps/atom-saas/secrets",
              "GET /v1/apps/atom-saas/secrets",
              "POST /v1/apps/atom-saas/machines/m1/lease",
              "POST /v1/apps/atom-saas/machines/m1",
              "DELETE /v1/apps/atom-saas/machines/m1/lease");
    }
  }

  @Nested
  class Secrecy {
    @Test
    void theTokenNeverAppearsInAnyMessage() throws IOException {
      fly.machine("m1", "started", CONFIG).secret(KEY, "true");
      List<String> messages = new ArrayList<>();

      // Error bodies that quote the target's own credential, in every form it might take.
      String macaroonPart = MACAROON.substring(MACAROON.indexOf(',') + 1);
      for (List<String> tokenAndEcho :
          List.of(
              List.of(TOKEN, TOKEN),
              List.of(TOKEN, "Bearer " + TOKEN),
              List.of("Bearer " + TOKEN, TOKEN),
              List.of(MACAROON, "FlyV1 " + MACAROON),
              List.of("FlyV1 " + MACAROON, MACAROON),
              List.of(MACAROON, "caveat " + macaroonPart))) {
        FlyTarget t = target(tokenAndEcho.get(0), Optional.empty());
        String echoed = tokenAndEcho.get(1);
        for (int status : new int[] {400, 404, 409, 412, 429, 500, 503}) {
          fly.failNext(FakeFlyApi.error(status, "bad request from " + echoed));
          messages.add(catchThrowable(t::readFlag).getMessage());
        }
        fly.failNext(
            new MockResponse()
                .setResponseCode(409)
                .setBody("{\"status\":\"error\",\"message\":\"held by " + echoed + "\"}"));
        messages.add(catchThrowable(() -> t.writeFlag("true", NOW)).getMessage());
        fly.failNext(new MockResponse().setResponseCode(502).setBody("<html>" + echoed));
        messages.add(catchThrowable(() -> t.writeFlag("true", NOW)).getMessage());
        fly.failNext(new MockResponse().setResponseCode(200).setBody("not json " + echoed));
        messages.add(catchThrowable(() -> t.rolloutState(HASH)).getMessage());
      }
      // A refused token is echoed by the fake's 401 body.
      target("fo1_WrongTokenThatIsLongEnough", Optional.empty())
          .validate()
          .forEach(p -> messages.add(p.message()));
      messages.add(
          catchThrowable(
                  () -> target("fo1_WrongTokenThatIsLongEnough", Optional.empty()).readFlag())
              .getMessage());
      server.setDispatcher(fly = new FakeFlyApi(APP, "Bearer nobody"));
      target(MACAROON, Optional.empty()).validate().forEach(p -> messages.add(p.message()));
      target().validate().forEach(p -> messages.add(p.message()));
      // Per-machine notes, which end up in status.
      server.setDispatcher(fly = new FakeFlyApi(APP, "Bearer " + TOKEN));
      fly.machine("m1", "started", CONFIG);
      FlyTarget t = target();
      reconcileSteps(t);
      t.writeFlag("true", NOW);
      fly.failNext("POST", "/lease", FakeFlyApi.error(500, "lease store down for " + TOKEN));
      t.restart(HASH, NOW);
      t.rolloutState(HASH).forEach(s -> messages.add(s.message()));
      server.shutdown();
      messages.add(catchThrowable(() -> target().validate()).getMessage());

      assertThat(messages).hasSizeGreaterThan(60).doesNotContainNull();
      for (String secret :
          List.of(
              TOKEN,
              "fo1_WrongTokenThatIsLongEnough",
              MACAROON.substring(0, MACAROON.indexOf(',')),
              macaroonPart)) {
        assertThat(messages).noneMatch(m -> m.contains(secret));
      }
      assertThat(messages).anyMatch(m -> m.contains("bad request from ***"));
      assertThat(messages).anyMatch(m -> m.contains("lease store down for ***"));
    }
  }
}
