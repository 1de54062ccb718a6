package io.cachemode.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachemode.operator.api.ApiConstants;
import io.cachemode.operator.api.Conditions;
import io.cachemode.operator.api.Reasons;
import io.cachemode.operator.flag.FlagLocation;
import io.cachemode.operator.it.Fixtures;
import io.cachemode.operator.testing.AdmissionGate;
import io.cachemode.operator.testing.LocalHttpServer;
import io.cachemode.operator.testing.LocalHttpServer.Answer;
import io.cachemode.operator.testing.RedisGetLoad;
import io.cachemode.operator.testing.RedisServerProcess;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * A CacheMode brought to one step of its transition in the real world. The step arranges an app
 * (Secret, workloads, and where needed a health endpoint or a Redis with GET traffic that follows
 * the flag) and says when the world shows it.
 *
 * <p>Every step is held until {@link #release}: an admission gate refuses the next write or the
 * next pods, or a window or watch is long. So one SIGKILL (or one round of deletions) finds every
 * step at once.
 */
abstract class Step implements AutoCloseable {
  static final String KEY = ApiConstants.DEFAULT_FLAG_KEY;

  final World w;

  /** The CacheMode's name; the Secret is {@code <name>-env}, the Deployment {@code <name>}. */
  final String name;

  final String secret;
  private final List<AutoCloseable> resources = new ArrayList<>();

  /** What the app runs with, followed from the Secret (the app reads the flag on every request). */
  AtomicBoolean appSuspended;

  Step(World w, String name) {
    this.w = w;
    this.name = name;
    this.secret = name + "-env";
  }

  /** What this point is, in the words of the issue. */
  abstract String step();

  /** Creates the app and the CacheMode (the operator is not running yet). */
  abstract void arrange() throws Exception;

  /** Whether the world shows the step now. */
  abstract boolean reached();

  /** What holds the world at this point's step, if an admission gate does. */
  AdmissionGate gate;

  private boolean holdsPods;

  /** Lets the world move on: the gate goes. */
  void release() {
    if (gate == null) {
      return;
    }
    gate.close();
    if (holdsPods) {
      // The ReplicaSet controller backs off after refused pod creations; touching the ReplicaSets
      // makes it try again now.
      for (var rs : w.fx.replicaSets(name)) {
        w.client
            .apps()
            .replicaSets()
            .inNamespace(w.ns)
            .withName(rs.getMetadata().getName())
            .edit(
                r -> {
                  r.getMetadata().getAnnotations().put("test/released", Instant.now().toString());
                  return r;
                });
      }
    }
  }

  /** Refuses the write of {@code value} into the flag key until {@link #release}. */
  void holdWrite(String value) {
    gate = AdmissionGate.flagWrite(w.client, w.ns, secret, KEY, value);
    gate.awaitEffective(() -> CrashPoints.dryRunWrite(w, secret, value));
  }

  /**
   * Holds the pods of the restart that applies {@code value} until {@link #release}: that rollout
   * cannot complete (the new ReplicaSet exists, its pods do not).
   */
  void holdPods(String value) {
    String hash = FlagLocation.secret(w.ns, secret, KEY).flagHash(value);
    gate = AdmissionGate.podsOf(w.client, w.ns, hash);
    gate.awaitEffective(() -> CrashPoints.dryRunPod(w, hash));
    holdsPods = true;
  }

  /** The flag Secret, holding {@code value} and an unrelated key that must survive. */
  void secret(String value) {
    w.fx.secret(secret, Map.of(KEY, value, "DATABASE_URL", "postgres://db/" + name));
    appSuspended = w.fx.appReadsSuspend(secret);
  }

  void cacheMode(String workloads, String extra) {
    w.cacheMode(name, secret, workloads, extra);
  }

  void cacheMode(String extra) {
    w.cacheMode(name, extra);
  }

  /** A real redis-server with an app's GET traffic that stops once the app reads suspend=true. */
  String meter(String window, String interval, String watchFor) throws Exception {
    return meter(window, interval, watchFor, () -> !appSuspended.get());
  }

  /** A real redis-server with GET traffic while {@code usesRedis} says so. */
  String meter(String window, String interval, String watchFor, BooleanSupplier usesRedis)
      throws Exception {
    RedisServerProcess redis = own(RedisServerProcess.started());
    own(RedisGetLoad.start(redis, usesRedis));
    w.fx.secret(name + "-conn", Map.of("url", redis.url()));
    return """
        requestMetrics:
          redis: {addressSecretRef: {name: %s-conn, key: url}}
          window: %s
          interval: %s
          watchFor: %s
        """
        .formatted(name, window, interval, watchFor);
  }

  /** The path of this step's endpoint (health check or meter) on the test's HTTP server. */
  String endpoint() {
    return "/" + name;
  }

  /** A health check of an app that breaks with Redis suspended: 503 while the Secret says true. */
  String health(LocalHttpServer server) {
    server.route(
        endpoint(),
        () -> appSuspended.get() ? new Answer(503, "redis suspended") : new Answer(200, "ok"));
    return """
        healthChecks:
        - {name: api, url: "%s", attempts: 1, timeout: 5s}
        """
        .formatted(server.url(endpoint()));
  }

  <T extends AutoCloseable> T own(T resource) {
    resources.add(resource);
    return resource;
  }

  String flagValue() {
    return w.fx.secretValue(secret, KEY);
  }

  /** The unrelated key of the Secret was never touched. */
  void assertOtherKeyKept() {
    assertThat(w.fx.secretValue(secret, "DATABASE_URL")).isEqualTo("postgres://db/" + name);
  }

  boolean deploymentRestarted() {
    return w.fx.templateAnnotations(name).containsKey(ApiConstants.FLAG_HASH_ANNOTATION);
  }

  String restartedAt() {
    return w.fx.templateAnnotations(name).get(ApiConstants.RESTARTED_AT_ANNOTATION);
  }

  /** The refused write made the reconcile fail (only a refused write does, in these points). */
  boolean refused() {
    return w.reason(name, Conditions.READY, Reasons.RECONCILE_ERROR);
  }

  static String digest() {
    return Fixtures.DIGEST;
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable r : resources) {
      r.close();
    }
  }

  @Override
  public String toString() {
    return name + " (" + step() + ")";
  }
}
