package io.cachemode.operator.targets.fly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cachemode.operator.api.WorkloadResult;
import io.cachemode.operator.targets.Target.ReferenceProblem;
import io.cachemode.operator.targets.TargetException;
import io.cachemode.operator.targets.WorkloadState;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

  /** A Fly Launch machine config: image, guest, env, release metadata, one service check. */
  static final String CONFIG =
      """
      {"image":"registry.fly.io/atom-saas:deployment-01JD","init":{},
       "guest":{"cpu_kind":"shared","cpus":1,"memory_mb":512},
       "env":{"PORT":"8080","FLY_PROCESS_GROUP":"app"},
       "metadata":{"fly_platform_version":"v2","fly_process_group":"app",
                   "fly_release_id":"Rel_1","fly_release_version":"7"},
       "restart":{"policy":"on-failure","max_retries":10},
       "services":[{"protocol":"tcp","internal_port":8080,"autostop":"off","autostart":false,
                    "ports":[{"port":443,"handlers":["tls","http"]}],
                    "checks":[{"type":"http","interval":"15s","timeout":"2s","path":"/health"}]}]}
      """;

  static final String AUTOSTOP_CONFIG =
      """
      {"image":"registry.fly.io/atom-saas:deployment-01JD",
       "services":[{"internal_port":8080,"autostop":"stop","autostart":true}]}
      """;

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
    fly = new FakeFlyApi(APP, "Bearer " + TOKEN);
    server.setDispatcher(fly);
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  FlyTarget target() {
    return target(TOKEN);
  }

  FlyTarget target(String token) {
    return new FlyTarget(http, server.url("/").toString(), APP, KEY, token);
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
      List<ReferenceProblem> problems = target("fo1_SomeOtherTokenTheServerDoesNotKnow").validate();
      assertThat(problems).extracting(ReferenceProblem::reason).containsExactly("FlyUnauthorized");
      assertThat(problems.get(0).message())
          .startsWith(
              "spec.target.fly.tokenSecretRef: the Fly API refused the token for app atom-saas (HTTP 401)")
          .doesNotContain("fo1_SomeOtherTokenTheServerDoesNotKnow");
    }

    @Test
    void forbiddenIsFlyUnauthorized() {
      fly.failNext(FakeFlyApi.error(403, "forbidden for Bearer " + TOKEN));
      List<ReferenceProblem> problems = target().validate();
      assertThat(problems).extracting(ReferenceProblem::reason).containsExactly("FlyUnauthorized");
      assertThat(problems.get(0).message()).contains("HTTP 403");
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
      List<ReferenceProblem> problems = target().validate();
      assertThat(problems)
          .containsExactly(
              new ReferenceProblem(
                  "NoMachines",
                  "spec.target.fly.app: Fly app atom-saas has no machines to update (deploy it"
                      + " first; one-off machines do not count)"));
    }

    @Test
    void appWithMachinesAndReadableSecretsIsValid() {
      fly.machine("m1", "started", CONFIG).secret(KEY, "false");
      assertThat(target().validate()).isEmpty();
    }

    @Test
    void missingFlagSecretIsValid() {
      fly.machine("m1", "started", CONFIG).hidingSecretValues();
      assertThat(target().validate()).isEmpty();
    }

    @Test
    void unreadableSecretValueIsReported() {
      fly.machine("m1", "started", CONFIG).secret(KEY, "fa61a13817d73a23").hidingSecretValues();
      List<ReferenceProblem> problems = target().validate();
      assertThat(problems)
          .extracting(ReferenceProblem::reason)
          .containsExactly("FlySecretsUnreadable");
      assertThat(problems.get(0).message()).contains("show_secrets").contains(KEY);
    }

    @ParameterizedTest
    @CsvSource({"500", "502", "429"})
    void transientErrorsAreThrown(int status) {
      fly.machine("m1", "started", CONFIG);
      fly.failNext(FakeFlyApi.error(status, "try later").setHeader("Retry-After", "2"));
      assertThatThrownBy(() -> target().validate())
          .isInstanceOf(TargetException.class)
          .hasMessageStartingWith("Fly API GET /v1/apps/atom-saas/machines returned " + status);
    }

    @Test
    void rateLimitSaysSo() {
      fly.failNext(FakeFlyApi.error(429, "rate limited").setHeader("Retry-After", "2"));
      assertThatThrownBy(() -> target().validate())
          .isInstanceOf(TargetException.class)
          .hasMessage(
              "Fly API GET /v1/apps/atom-saas/machines returned 429 (rate limited, retry after 2s):"
                  + " rate limited");
    }
  }

  @Nested
  class Read {
    @Test
    void readsTheValue() {
      fly.secret("DATABASE_URL", "postgres://x").secret(KEY, "fa61a13817d73a23");
      assertThat(target().readFlag().value()).contains("fa61a13817d73a23");
      assertThat(fly.calls("GET", "/v1/apps/atom-saas/secrets"))
          .singleElement()
          .extracting(FakeFlyApi.Call::authorization)
          .isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void absentSecretIsEmpty() {
      fly.secret("DATABASE_URL", "postgres://x").hidingSecretValues();
      assertThat(target().readFlag().value()).isEmpty();
    }

    @Test
    void presentButUnreadableThrows() {
      fly.secret(KEY, "true").hidingSecretValues();
      assertThatThrownBy(() -> target().readFlag())
          .isInstanceOf(TargetException.class)
          .hasMessageContaining("cannot read secret values")
          .hasMessageContaining("show_secrets");
    }

    @Test
    void validateThenReadListsSecretsOnce() {
      fly.machine("m1", "started", CONFIG).secret(KEY, "false");
      FlyTarget t = target();
      assertThat(t.validate()).isEmpty();
      assertThat(t.readFlag().value()).contains("false");
      assertThat(fly.calls("GET", "/v1/apps/atom-saas/secrets")).hasSize(1);
    }
  }

  @Nested
  class Write {
    @Test
    void sendsExactlyTheOneKeyWithBearer() {
      fly.secret("DATABASE_URL", "postgres://x").secret(KEY, "fa61a13817d73a23");
      target().writeFlag("true", java.time.Instant.EPOCH);

      List<FakeFlyApi.Call> writes = fly.calls("POST", "/v1/apps/atom-saas/secrets");
      assertThat(writes).hasSize(1);
      assertThat(writes.get(0).authorization()).isEqualTo("Bearer " + TOKEN);
      assertThat(writes.get(0).json())
          .isEqualTo(
              FakeFlyApi.JSON
                  .createObjectNode()
                  .set("values", FakeFlyApi.JSON.createObjectNode().put(KEY, "true")));
      assertThat(fly.secretValue(KEY)).isEqualTo("true");
      assertThat(fly.secretValue("DATABASE_URL")).isEqualTo("postgres://x");
      assertThat(fly.calls()).hasSize(1);
    }

    @Test
    void macaroonIsSentAsFlyV1() {
      server.setDispatcher(fly = new FakeFlyApi(APP, "FlyV1 " + MACAROON));
      target(MACAROON).writeFlag("false", java.time.Instant.EPOCH);
      assertThat(fly.calls())
          .singleElement()
          .extracting(FakeFlyApi.Call::authorization)
          .isEqualTo("FlyV1 " + MACAROON);
      assertThat(fly.secretValue(KEY)).isEqualTo("false");
    }

    @Test
    void writeThenReadSeesTheNewValue() {
      fly.secret(KEY, "false");
      FlyTarget t = target();
      assertThat(t.readFlag().value()).contains("false");
      t.writeFlag("true", java.time.Instant.EPOCH);
      assertThat(t.readFlag().value()).contains("true");
    }

    @Test
    void serverErrorIsThrown() {
      fly.failNext(FakeFlyApi.error(500, "internal error"));
      assertThatThrownBy(() -> target().writeFlag("true", java.time.Instant.EPOCH))
          .isInstanceOf(FlyApiException.class)
          .hasMessage("Fly API POST /v1/apps/atom-saas/secrets returned 500: internal error")
          .extracting(e -> ((FlyApiException) e).status())
          .isEqualTo(500);
    }
  }

  @Nested
  class Restart {
    @BeforeEach
    void twoMachines() {
      fly.secret(KEY, "false").secret("DATABASE_URL", "postgres://x");
      fly.machine("m1", "started", CONFIG).machine("m2", "started", CONFIG);
      fly.setChecks("m1", "servicecheck-00-http-8080:passing");
      fly.setChecks("m2", "servicecheck-00-http-8080:passing");
    }

    @Test
    void updatesOneMachineWithItsFullConfigMetadataAndMinSecretsVersion() {
      ObjectNode before = fly.machine("m1");
      FlyTarget t = target();
      t.writeFlag("true", java.time.Instant.EPOCH);
      long version = fly.secretsVersion();

      assertThat(t.restart(HASH, NOW)).containsExactly("Machine m1");

      assertThat(fly.updatesOf("m2")).isEmpty();
      List<FakeFlyApi.Call> updates = fly.updatesOf("m1");
      assertThat(updates).hasSize(1);
      JsonNode input = updates.get(0).json();
      assertThat(updates.get(0).authorization()).isEqualTo("Bearer " + TOKEN);
      ObjectNode expected = (ObjectNode) before.get("config").deepCopy();
      ((ObjectNode) expected.get("metadata"))
          .put("cachemode_flag_hash", HASH)
          .put("cachemode_restarted_at", "2026-11-29T03:00:00Z")
          .put("cachemode_replaced_instance", before.get("instance_id").asText())
          .put("cachemode_secrets_version", Long.toString(version));
      assertThat(input.get("config")).isEqualTo(expected);
      assertThat(input.get("min_secrets_version").asLong()).isEqualTo(version);
      assertThat(input.has("skip_launch")).isFalse();
      assertThat(fly.calls("POST", "/v1/apps/atom-saas/machines/m1/restart")).isEmpty();
    }

    @Test
    void rollsOneMachineAtATimeAndNeverUpdatesAMachineTwice() {
      target().writeFlag("true", java.time.Instant.EPOCH);

      assertThat(target().restart(HASH, NOW)).containsExactly("Machine m1");
      assertThat(states()).containsExactly(WorkloadResult.RollingOut, WorkloadResult.Pending);

      // m1 is replacing: nothing more is updated, however often the reconcile comes back.
      assertThat(target().restart(HASH, NOW)).isEmpty();
      fly.setState("m1", "started");
      assertThat(target().restart(HASH, NOW)).as("started, no check results yet").isEmpty();
      fly.setChecks("m1", "servicecheck-00-http-8080:critical");
      assertThat(target().restart(HASH, NOW)).as("check critical").isEmpty();
      assertThat(states()).containsExactly(WorkloadResult.RollingOut, WorkloadResult.Pending);

      fly.setChecks("m1", "servicecheck-00-http-8080:passing");
      assertThat(states()).containsExactly(WorkloadResult.Complete, WorkloadResult.Pending);
      assertThat(target().restart(HASH, NOW)).containsExactly("Machine m2");
      assertThat(target().restart(HASH, NOW)).isEmpty();

      fly.setState("m2", "started");
      fly.setChecks("m2", "servicecheck-00-http-8080:passing");
      assertThat(states()).containsExactly(WorkloadResult.Complete, WorkloadResult.Complete);
      assertThat(target().restart(HASH, NOW)).isEmpty();

      assertThat(fly.updatesOf("m1")).hasSize(1);
      assertThat(fly.updatesOf("m2")).hasSize(1);
      assertThat(fly.machineUpdates()).hasSize(2);
    }

    @Test
    void aLaterReconcileTakesTheSecretsVersionFromTheUpdatedMachines() {
      FlyTarget writer = target();
      writer.writeFlag("true", java.time.Instant.EPOCH);
      long version = fly.secretsVersion();
      writer.restart(HASH, NOW);
      fly.setState("m1", "started");
      fly.setChecks("m1", "servicecheck-00-http-8080:passing");

      assertThat(target().restart(HASH, NOW.plusSeconds(30))).containsExactly("Machine m2");
      JsonNode input = fly.updatesOf("m2").get(0).json();
      assertThat(input.get("min_secrets_version").asLong()).isEqualTo(version);
      assertThat(input.at("/config/metadata/cachemode_restarted_at").asText())
          .isEqualTo("2026-11-29T03:00:30Z");
    }

    @Test
    void withoutAKnownVersionNoMinSecretsVersionIsSent() {
      fly.secret(KEY, "true");
      target().restart(HASH, NOW);
      assertThat(fly.updatesOf("m1").get(0).json().has("min_secrets_version")).isFalse();
    }

    @Test
    void rolloutStateFollowsTheMachine() {
      FlyTarget t = target();
      assertThat(t.rolloutState(HASH))
          .extracting(WorkloadState::result)
          .containsExactly(WorkloadResult.Pending, WorkloadResult.Pending);
      t.writeFlag("true", java.time.Instant.EPOCH);
      t.restart(HASH, NOW);
      WorkloadState m1 = t.rolloutState(HASH).get(0);
      assertThat(m1.result()).isEqualTo(WorkloadResult.RollingOut);
      assertThat(m1.message()).isEqualTo("machine is replacing");
      assertThat(m1.flagHash()).isEqualTo(HASH);
      assertThat(m1.restartedAt()).isEqualTo("2026-11-29T03:00:00Z");

      fly.setState("m1", "started");
      fly.setChecks("m1", "servicecheck-00-http-8080:critical");
      assertThat(target().rolloutState(HASH).get(0).message())
          .isEqualTo("health checks not passing: servicecheck-00-http-8080 critical");
      fly.setChecks("m1", "servicecheck-00-http-8080:passing");
      assertThat(target().rolloutState(HASH).get(0).result()).isEqualTo(WorkloadResult.Complete);
      fly.setState("m1", "failed");
      assertThat(target().rolloutState(HASH).get(0).result()).isEqualTo(WorkloadResult.Failed);
      assertThat(target().restart(HASH, NOW)).as("a failed machine stops the roll").isEmpty();
    }

    @Test
    void aStoppedMachineThatStartsOnDemandIsUpdatedWithoutLaunching() {
      server.setDispatcher(fly = new FakeFlyApi(APP, "Bearer " + TOKEN));
      fly.secret(KEY, "false").machine("m1", "stopped", AUTOSTOP_CONFIG);
      target().writeFlag("true", java.time.Instant.EPOCH);
      assertThat(target().restart(HASH, NOW)).containsExactly("Machine m1");
      assertThat(fly.updatesOf("m1").get(0).json().get("skip_launch").asBoolean()).isTrue();
      assertThat(fly.machine("m1").get("state").asText()).isEqualTo("stopped");
      assertThat(target().rolloutState(HASH))
          .extracting(WorkloadState::result)
          .containsExactly(WorkloadResult.Complete);
    }

    @Test
    void rateLimitedUpdateIsThrownAndRetriedByTheNextReconcile() {
      FlyTarget t = target();
      t.writeFlag("true", java.time.Instant.EPOCH);
      t.rolloutState(HASH);
      t.restart(HASH, NOW); // m1
      fly.setState("m1", "started");
      fly.setChecks("m1", "servicecheck-00-http-8080:passing");
      FlyTarget next = target();
      next.rolloutState(HASH);
      // The list is cached; the fresh GET of m2 is answered with 429.
      fly.failNext(FakeFlyApi.error(429, "rate limited"));
      assertThatThrownBy(() -> next.restart(HASH, NOW))
          .isInstanceOf(TargetException.class)
          .hasMessageContaining("429");
      assertThat(fly.updatesOf("m2")).isEmpty();
      assertThat(target().restart(HASH, NOW)).containsExactly("Machine m2");
    }

    @Test
    void oneReconcileStaysWithinTheRateLimits() {
      FlyTarget t = target();
      t.validate();
      t.readFlag();
      t.rolloutState(HASH);
      t.writeFlag("true", java.time.Instant.EPOCH);
      t.restart(HASH, NOW);
      t.rolloutState(HASH);
      assertThat(
              fly.calls("GET", "/v1/apps/atom-saas/machines").stream()
                  .filter(c -> c.path().equals("/v1/apps/atom-saas/machines")))
          .as("machine lists: once before and once after the update")
          .hasSize(2);
      assertThat(fly.calls()).hasSize(6);
    }

    List<WorkloadResult> states() {
      return target().rolloutState(HASH).stream().map(WorkloadState::result).toList();
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
        FlyTarget t = target(tokenAndEcho.get(0));
        String echoed = tokenAndEcho.get(1);
        for (int status : new int[] {400, 404, 409, 412, 429, 500, 503}) {
          fly.failNext(FakeFlyApi.error(status, "bad request from " + echoed));
          messages.add(catchThrowable(t::readFlag).getMessage());
        }
        fly.failNext(new MockResponse().setResponseCode(502).setBody("<html>" + echoed));
        messages.add(
            catchThrowable(() -> t.writeFlag("true", java.time.Instant.EPOCH)).getMessage());
        fly.failNext(new MockResponse().setResponseCode(200).setBody("not json " + echoed));
        messages.add(catchThrowable(() -> t.rolloutState(HASH)).getMessage());
      }
      // A refused token is echoed by the fake's 401 body.
      target("fo1_WrongTokenThatIsLongEnough").validate().forEach(p -> messages.add(p.message()));
      messages.add(
          catchThrowable(() -> target("fo1_WrongTokenThatIsLongEnough").readFlag()).getMessage());
      server.setDispatcher(fly = new FakeFlyApi(APP, "Bearer nobody"));
      target(MACAROON).validate().forEach(p -> messages.add(p.message()));
      target().validate().forEach(p -> messages.add(p.message()));
      // Unreadable values and a dead server.
      server.setDispatcher(fly = new FakeFlyApi(APP, "Bearer " + TOKEN));
      fly.machine("m1", "started", CONFIG).secret(KEY, "true").hidingSecretValues();
      target().validate().forEach(p -> messages.add(p.message()));
      messages.add(catchThrowable(() -> target().readFlag()).getMessage());
      server.shutdown();
      messages.add(catchThrowable(() -> target().validate()).getMessage());

      assertThat(messages).hasSizeGreaterThan(50).doesNotContainNull();
      for (String secret :
          List.of(
              TOKEN,
              "fo1_WrongTokenThatIsLongEnough",
              MACAROON.substring(0, MACAROON.indexOf(',')),
              macaroonPart)) {
        assertThat(messages).noneMatch(m -> m.contains(secret));
      }
      assertThat(messages).anyMatch(m -> m.contains("bad request from ***"));
    }
  }
}
