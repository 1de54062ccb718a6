package io.cachemode.operator.deletion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachemode.operator.api.ApiConstants;
import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.Phase;
import io.cachemode.operator.it.Fixtures;
import io.cachemode.operator.it.OperatorInNamespace;
import io.cachemode.operator.testing.LocalHttpServer;
import io.cachemode.operator.testing.LocalHttpServer.Answer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A CacheMode deleted in the middle of a transition, once per phase. What the operator leaves is
 * the same every time and is what docs/reliability.md promises: the value last written stays in the
 * Secret (deleting is not a request to switch Redis back on), the claim (label and owner
 * annotation) is removed with a ClaimReleased event, restarts already made stay made and no new one
 * follows, and no verification request is sent after the deletion (the loopback servers count
 * them).
 */
class DeletionIT extends OperatorInNamespace {
  /** How long the world is watched after a deletion for a restart or request that should not be. */
  private static final Duration QUIET = Duration.ofSeconds(3);

  private final CountDownLatch releaseBaseline = new CountDownLatch(1);
  private final Map<String, AtomicBoolean> suspended = new ConcurrentHashMap<>();
  private LocalHttpServer servers;

  @BeforeAll
  void startServers() {
    servers =
        new LocalHttpServer()
            // Holds the baseline query, so the CacheMode stays in Baselining.
            .route(
                "/baselining/api/v1/query",
                () -> {
                  releaseBaseline.await(30, TimeUnit.SECONDS);
                  return rate(25);
                })
            .route("/health", () -> new Answer(503, "{\"redis\":\"down\"}"))
            // GETs fall once the app reads suspend=true: Reduced, then watched.
            .route("/watched/api/v1/query", () -> rate(suspended.get("watched-env").get() ? 0 : 25))
            // GETs never fall: NotReduced, Ineffective.
            .route("/ineffective/api/v1/query", () -> rate(25));
  }

  @AfterAll
  void stopServers() {
    releaseBaseline.countDown();
    servers.close();
  }

  @Test
  void deletedWhileBaseliningNothingWasWrittenOrRestarted() {
    app("baselining", 1);
    create("baselining", prometheus("/baselining", "window: 2s"));
    fx.awaitPhase("baselining", Phase.Baselining);
    await().atMost(Duration.ofSeconds(10)).until(() -> requests("/baselining") == 1);

    Left left = delete("baselining", () -> requests("/baselining"));
    releaseBaseline.countDown();

    assertThat(fx.secretValue("baselining-env", "SUSPEND_REDIS")).isEqualTo("false");
    assertThat(fx.templateAnnotations("baselining"))
        .doesNotContainKey(ApiConstants.FLAG_HASH_ANNOTATION);
    left.assertNothingMore(1);
    left.assertUnclaimed();
  }

  @Test
  void deletedWhileRollingOutTheWrittenValueAndTheRestartStay() {
    fx.secret("rolling-env", Map.of("SUSPEND_REDIS", "false"));
    unschedulable("rolling");
    create("rolling", "");
    CacheMode cm = fx.awaitPhase("rolling", Phase.RollingOut);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> fx.templateAnnotations("rolling").containsKey(ApiConstants.FLAG_HASH_ANNOTATION));
    String hash = fx.templateAnnotations("rolling").get(ApiConstants.FLAG_HASH_ANNOTATION);
    assertThat(cm.getStatus().getPhase()).isEqualTo(Phase.RollingOut);

    Left left = delete("rolling", () -> 0);

    assertThat(fx.secretValue("rolling-env", "SUSPEND_REDIS")).isEqualTo("true");
    assertThat(fx.templateAnnotations("rolling"))
        .containsEntry(ApiConstants.FLAG_HASH_ANNOTATION, hash);
    left.assertNothingMore(2);
    left.assertReleased();
  }

  @Test
  void deletedWhileVerifyingTheHealthCheckStopsAndNothingIsRolledBack() {
    app("verifying", 1);
    create(
        "verifying",
        """
        healthChecks:
          - {name: api, url: "%s", attempts: 10, interval: 1s, timeout: 1s}
        rollbackOnFailure: true
        """
            .formatted(servers.url("/health")));
    fx.awaitPhase("verifying", Phase.Verifying);
    await().atMost(Duration.ofSeconds(10)).until(() -> requests("/health") >= 1);

    Left left = delete("verifying", () -> requests("/health"));

    assertThat(fx.secretValue("verifying-env", "SUSPEND_REDIS"))
        .as("not rolled back")
        .isEqualTo("true");
    left.assertNothingMore(2);
    left.assertReleased();
  }

  @Test
  void deletedWhileWatchingAfterSuspendedTheWatchStops() {
    fx.secret("watched-env", Map.of("SUSPEND_REDIS", "false"));
    suspended.put("watched-env", fx.appReadsSuspend("watched-env"));
    fx.deployment("watched", 1);
    create("watched", prometheus("/watched", "window: 2s\n  interval: 1s\n  watchFor: 1h"));
    fx.awaitPhase("watched", Phase.Suspended);
    int before = requests("/watched");
    await("watch samples")
        .atMost(Duration.ofSeconds(15))
        .until(() -> requests("/watched") >= before + 2);

    Left left = delete("watched", () -> requests("/watched"));

    assertThat(fx.secretValue("watched-env", "SUSPEND_REDIS")).isEqualTo("true");
    left.assertNothingMore(2);
    left.assertReleased();
  }

  @Test
  void deletedWhileRollingBackThePreviousValueStaysWrittenAndNoRestartFollows() {
    fx.secret("back-env", Map.of("SUSPEND_REDIS", "false"));
    unschedulable("back");
    create("back", "rollout: {settle: 0s, timeout: 4s}");
    fx.awaitPhase("back", Phase.RollingBack);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "false".equals(fx.secretValue("back-env", "SUSPEND_REDIS")));
    await().atMost(Duration.ofSeconds(10)).until(() -> fx.replicaSets("back").size() == 3);

    Left left = delete("back", () -> 0);

    assertThat(fx.secretValue("back-env", "SUSPEND_REDIS"))
        .as("the rollback's write")
        .isEqualTo("false");
    left.assertNothingMore(3);
    left.assertReleased();
  }

  @Test
  void deletedWhileIneffectiveTheIneffectiveValueStaysAndTheWatchStops() {
    app("ineffective", 1);
    create("ineffective", prometheus("/ineffective", "window: 2s\n  interval: 1s\n  watchFor: 1h"));
    fx.awaitPhase("ineffective", Phase.Ineffective);

    Left left = delete("ineffective", () -> requests("/ineffective"));

    assertThat(fx.secretValue("ineffective-env", "SUSPEND_REDIS")).isEqualTo("true");
    left.assertNothingMore(2);
    left.assertReleased();
  }

  /** What a deletion left: checked after {@link #QUIET}. */
  private final class Left {
    private final String name;
    private final IntSupplier requests;
    private final int requestsAtDeletion;
    private final Map<String, String> templateAtDeletion;

    Left(String name, IntSupplier requests, int requestsAtDeletion) {
      this.name = name;
      this.requests = requests;
      this.requestsAtDeletion = requestsAtDeletion;
      this.templateAtDeletion = fx.templateAnnotations(name);
    }

    /** No restart and no verification request after the deletion (one in flight may finish). */
    void assertNothingMore(int replicaSets) {
      await().pollDelay(QUIET).atMost(QUIET.plusSeconds(1)).until(() -> true);
      assertThat(fx.replicaSets(name)).as("no restart after the deletion").hasSize(replicaSets);
      assertThat(fx.templateAnnotations(name)).isEqualTo(templateAtDeletion);
      assertThat(requests.getAsInt())
          .as("verification requests after the deletion")
          .isLessThanOrEqualTo(requestsAtDeletion + 1);
    }

    /** The claim is gone and the ClaimReleased event says the value was left. */
    void assertReleased() {
      assertUnclaimed();
      await(name + " ClaimReleased")
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(fx.events(name))
                      .filteredOn(e -> e.getReason().equals("ClaimReleased"))
                      .extracting(Event::getMessage)
                      .singleElement()
                      .satisfies(
                          m ->
                              assertThat(m)
                                  .contains("Secret " + ns + "/" + name + "-env key SUSPEND_REDIS")
                                  .endsWith("its value was left as it is")));
    }

    void assertUnclaimed() {
      Secret s = client.secrets().inNamespace(ns).withName(name + "-env").get();
      assertThat(s.getMetadata().getLabels() == null ? Map.of() : s.getMetadata().getLabels())
          .doesNotContainKey(ApiConstants.MANAGED_KEY_LABEL);
      assertThat(
              s.getMetadata().getAnnotations() == null
                  ? Map.of()
                  : s.getMetadata().getAnnotations())
          .doesNotContainKey(ApiConstants.OWNER_ANNOTATION);
    }
  }

  /** Deletes the CacheMode and waits until its finalizer has run and it is gone. */
  private Left delete(String name, IntSupplier requests) {
    client.resources(CacheMode.class).inNamespace(ns).withName(name).delete();
    int atDeletion = requests.getAsInt();
    await(name + " deleted")
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> client.resources(CacheMode.class).inNamespace(ns).withName(name).get() == null);
    return new Left(name, requests, atDeletion);
  }

  private int requests(String path) {
    return servers.requests(path.startsWith("/health") ? path : path + "/api/v1/query");
  }

  private static Answer rate(double perSecond) {
    return new Answer(
        200,
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
            + "\"value\":[1764380000,\""
            + perSecond
            + "\"]}]}}");
  }

  private String prometheus(String path, String more) {
    return """
        requestMetrics:
          prometheus: {url: "%s", query: "sum(rate(redis_commands_total{cmd=\\"get\\"}[1m]))"}
          %s
        """
        .formatted(servers.url(path), more);
  }

  private void app(String name, int replicas) {
    fx.secret(name + "-env", Map.of("SUSPEND_REDIS", "false"));
    fx.deployment(name, replicas);
  }

  /** A Deployment whose pods can never be scheduled: no rollout of it ever completes. */
  private void unschedulable(String name) {
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .resource(
            Fixtures.deploymentOf(name, 1)
                .editSpec()
                .editTemplate()
                .editSpec()
                .addToNodeSelector("disk", "does-not-exist")
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
  }

  private void create(String name, String extra) {
    String rollout = extra.contains("rollout:") ? "" : "rollout: {settle: 0s, timeout: 2m}\n";
    fx.create(
        """
        apiVersion: cachemode.io/v1alpha1
        kind: CacheMode
        metadata: {name: %1$s}
        spec:
          suspend: true
          target:
            kubernetes:
              secretRef: {name: %1$s-env}
              workloads: [{kind: Deployment, name: %1$s}]
        %2$s
        """
            .formatted(name, (rollout + extra).indent(2)));
  }
}
