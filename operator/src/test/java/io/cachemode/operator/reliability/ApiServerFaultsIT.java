package io.cachemode.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachemode.operator.api.Phase;
import io.cachemode.operator.it.Fixtures;
import io.cachemode.operator.testing.AdmissionGate;
import io.cachemode.operator.testing.ControlPlaneComponent;
import io.cachemode.operator.testing.LocalControlPlane;
import io.cachemode.operator.testing.LocalHttpServer.Answer;
import io.cachemode.operator.testing.OperatorProcess;
import io.cachemode.operator.testing.PrometheusText;
import io.cachemode.operator.testing.TcpProxy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API server goes away under the packaged operator: kube-apiserver stopped for 20 s and started
 * again on the same port, etcd restarted, writes refused for a while, and writes that hit 409
 * Conflict because another client changed the object. The operator reaches the API server through a
 * counting TCP proxy, so what it sends while the API server is down is measured too.
 */
class ApiServerFaultsIT extends InstalledOperator {
  private static final Duration OUTAGE = Duration.ofSeconds(20);

  private TcpProxy proxy;
  private Path viaProxy;

  @Override
  String release() {
    return "faults";
  }

  @BeforeAll
  void proxy() throws Exception {
    proxy = TcpProxy.to(URI.create(admin.getMasterUrl().toString()).getPort());
    viaProxy = install.kubeconfig("https://127.0.0.1:" + proxy.port(), "via-proxy.kubeconfig");
  }

  @AfterAll
  void closeProxy() {
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  void kubeApiServerStoppedFor20sMidTransitionWithOneReplica() throws Exception {
    try (OperatorProcess op = start("single", Map.of("LEADER_ELECTION", "false"))) {
      HeldCheck held = heldInVerifying("outage-single");
      ControlPlaneComponent apiserver = component("kube-apiserver");
      Sample before = sample(op);
      Instant down = Instant.now();
      apiserver.stop();
      held.release(); // the check finishes while the API server is down: its reconcile fails
      Thread.sleep(OUTAGE.toMillis());
      Sample during = sample(op);
      Instant up = Instant.now();
      apiserver.start();
      Instant ready = awaitApiServerReady();
      world.fx.awaitPhase(held.name, Phase.Suspended);
      Instant done = Instant.now();

      assertThat(world.replicaSets(held.name)).as("exactly one restart").isEqualTo(2);
      int attempts = proxy.connections(down, up).size();
      double reconciles = during.started - before.started;
      report(
          "kube-apiserver stopped %ds, one replica: %d connection attempts to the API server while"
              + " it was down, %.0f reconciles (%.0f failed) during the outage, converged %d ms after"
              + " the API server was ready again (%d ms down in all); %s",
          OUTAGE.toSeconds(),
          attempts,
          reconciles,
          during.failed - before.failed,
          Duration.between(ready, done).toMillis(),
          Duration.between(down, ready).toMillis(),
          apiServerRequests());
      assertThat(op.isAlive()).as("a single replica rides through the outage").isTrue();
      assertThat(reconciles).as("no hot loop during the outage").isLessThanOrEqualTo(10);
      assertThat(attempts).as("connection attempts stay bounded").isLessThanOrEqualTo(200);
    }
  }

  @Test
  void etcdRestartedMidTransition() throws Exception {
    try (OperatorProcess op = start("etcd", Map.of("LEADER_ELECTION", "false"))) {
      HeldCheck held = heldInVerifying("etcd-restart");
      ControlPlaneComponent etcd = component("etcd");
      Sample before = sample(op);
      Instant down = Instant.now();
      etcd.stop();
      held.release();
      Thread.sleep(Duration.ofSeconds(10).toMillis());
      etcd.start();
      Instant up = Instant.now();
      awaitApiServerReady();
      world.fx.awaitPhase(held.name, Phase.Suspended);
      Instant done = Instant.now();
      Sample after = sample(op);

      assertThat(world.replicaSets(held.name)).as("exactly one restart").isEqualTo(2);
      report(
          "etcd stopped 10s: %.0f reconciles (%.0f failed) from the stop until converged, %d ms"
              + " after etcd was started again",
          after.started - before.started,
          after.failed - before.failed,
          Duration.between(up, done).toMillis());
      assertThat(Duration.between(down, done)).isLessThan(Duration.ofMinutes(2));
    }
  }

  /**
   * An admission policy (or an admission webhook with failurePolicy Fail) refuses the flag write
   * for 40 s: longer than JOSDK's default retry (5 attempts, about 18 s), after which a resource
   * waits for an event that never comes. The write must be retried, with back-off, until it passes.
   */
  @Test
  void aWriteRefusedForFortySecondsIsRetriedWithBackoffUntilItPasses() throws Exception {
    try (OperatorProcess op = start("refused", Map.of("LEADER_ELECTION", "false"))) {
      String name = "refused";
      world.fx.secret(name + "-env", Map.of(CrashPoint.KEY, Fixtures.DIGEST));
      world.deployment(name, name + "-env");
      Sample before = sample(op);
      Instant from = Instant.now();
      try (AdmissionGate gate =
          AdmissionGate.flagWrite(admin, appNs, name + "-env", CrashPoint.KEY, "true")) {
        gate.awaitEffective(() -> CrashPoints.dryRunWrite(world, name + "-env", "true"));
        world.cacheMode(name, "");
        Thread.sleep(40_000);
      }
      Sample refused = sample(op);
      Instant opened = Instant.now();
      world.fx.awaitPhase(name, Phase.Suspended);
      Instant done = Instant.now();

      double failed = refused.failed - before.failed;
      report(
          "write refused for %d s: %.0f failed reconciles while refused (back-off), converged %d"
              + " ms after the write was allowed again",
          Duration.between(from, opened).toSeconds(),
          failed,
          Duration.between(opened, done).toMillis());
      assertThat(world.replicaSets(name)).isEqualTo(2);
      assertThat(failed).as("retried with back-off, not in a hot loop").isBetween(2.0, 12.0);
      assertThat(Duration.between(opened, done))
          .as("picked up within the longest back-off")
          .isLessThan(Duration.ofSeconds(45));
    }
  }

  /**
   * Other clients change the CacheMode, the Secret and the Deployment every 100 ms during a
   * transition: the operator's status patches carry a resourceVersion and hit 409 Conflict; its
   * flag writes and restarts are server-side applies of its own fields and do not.
   */
  @Test
  void writesThatHitConflictsBecauseAnotherClientBumpedTheObject() throws Exception {
    try (OperatorProcess op = start("conflicts", Map.of("LEADER_ELECTION", "false"))) {
      String name = "bumped";
      world.fx.secret(name + "-env", Map.of(CrashPoint.KEY, Fixtures.DIGEST, "OTHER", "0"));
      world.deployment(name, name + "-env");
      double conflictsBefore = conflicts();
      AtomicInteger bumps = new AtomicInteger();
      ScheduledExecutorService bumper = Executors.newSingleThreadScheduledExecutor();
      bumper.scheduleAtFixedRate(
          () -> bump(name, bumps.incrementAndGet()), 0, 100, TimeUnit.MILLISECONDS);
      try {
        world.cacheMode(name, "");
        world.fx.awaitPhase(name, Phase.Suspended);
        Thread.sleep(2000); // a few more bumps on the finished transition
      } finally {
        bumper.shutdownNow();
        bumper.awaitTermination(10, TimeUnit.SECONDS);
      }
      double conflicts = conflicts() - conflictsBefore;
      int last = bumps.get();
      report(
          "%d bumps of the CacheMode, Secret and Deployment every 100 ms: %.0f 409 Conflict"
              + " answers to writes of cachemodes during the transition",
          last, conflicts);
      assertThat(conflicts).as("the status patches did meet conflicts").isPositive();
      assertThat(world.replicaSets(name)).as("exactly one restart").isEqualTo(2);
      assertThat(world.fx.secretValue(name + "-env", CrashPoint.KEY)).isEqualTo("true");
      assertThat(Integer.parseInt(world.fx.secretValue(name + "-env", "OTHER")))
          .as("the other client's key is its own")
          .isGreaterThan(0);
      assertThat(world.history(name))
          .containsExactly(Phase.RollingOut, Phase.Verifying, Phase.Suspended);
      assertThat(world.cm(name).getMetadata().getAnnotations()).containsKey("test/bump");
    }
  }

  private void bump(String name, int n) {
    try {
      String value = Integer.toString(n);
      admin
          .resources(io.cachemode.operator.api.CacheMode.class)
          .inNamespace(appNs)
          .withName(name)
          .edit(
              cm -> {
                cm.getMetadata().getAnnotations().put("test/bump", value);
                return cm;
              });
      admin
          .secrets()
          .inNamespace(appNs)
          .withName(name + "-env")
          .edit(
              s -> {
                s.getData()
                    .put("OTHER", java.util.Base64.getEncoder().encodeToString(value.getBytes()));
                return s;
              });
      admin
          .apps()
          .deployments()
          .inNamespace(appNs)
          .withName(name)
          .edit(
              d -> {
                d.getMetadata().getAnnotations().put("test/bump", value);
                return d;
              });
    } catch (RuntimeException e) {
      // The CacheMode may not exist yet, or an edit raced another writer: the next bump tries
      // again.
    }
  }

  /** A transition held in Verifying: its health check's answer waits for the test. */
  private record HeldCheck(String name, CountDownLatch answer) {
    void release() {
      answer.countDown();
    }
  }

  private HeldCheck heldInVerifying(String name) {
    CountDownLatch answer = new CountDownLatch(1);
    http.route(
        "/" + name,
        () -> {
          answer.await(50, TimeUnit.SECONDS);
          return new Answer(200, "ok");
        });
    world.fx.secret(name + "-env", Map.of(CrashPoint.KEY, Fixtures.DIGEST));
    world.deployment(name, name + "-env");
    world.cacheMode(
        name,
        """
        healthChecks:
        - {name: api, url: "%s", attempts: 1, timeout: 55s}
        """
            .formatted(http.url("/" + name)));
    world.fx.awaitPhase(name, Phase.Verifying);
    return new HeldCheck(name, answer);
  }

  private OperatorProcess start(String identity, Map<String, String> env) throws Exception {
    OperatorProcess op = operator(identity, env, viaProxy);
    op.httpPort();
    await(identity + " ready")
        .atMost(Duration.ofSeconds(60))
        .until(() -> op.get("/readyz").statusCode() == 200);
    return op;
  }

  private static ControlPlaneComponent component(String name) {
    return ControlPlaneComponent.of(LocalControlPlane.get(), name);
  }

  private Instant awaitApiServerReady() {
    await("the API server is ready")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> "ok".equals(admin.raw("/readyz")));
    return Instant.now();
  }

  /** The operator's reconcile counters (JOSDK's Micrometer metrics), summed over its resources. */
  private record Sample(double started, double failed) {}

  private static Sample sample(OperatorProcess op) throws Exception {
    String m = op.metrics();
    return new Sample(
        PrometheusText.sum(m, "operator_sdk_reconciliations_started_total"),
        PrometheusText.sum(m, "operator_sdk_reconciliations_failed_total"));
  }

  /** 409 answers the API server gave to writes of cachemodes since it started. */
  private double conflicts() {
    return PrometheusText.sum(
        admin.raw("/metrics"),
        "apiserver_request_total",
        "code=\"409\"",
        "resource=\"cachemodes\"");
  }

  /** Requests the API server served for ServiceAccounts (the operator) since it started. */
  private String apiServerRequests() {
    double n =
        PrometheusText.sum(
            admin.raw("/metrics"),
            "apiserver_flowcontrol_dispatched_requests_total",
            "flow_schema=\"service-accounts\"");
    return String.format("%.0f requests from ServiceAccounts since the API server restarted", n);
  }

  private static void report(String format, Object... args) {
    System.err.println("[ApiServerFaultsIT] " + String.format(format, args));
  }
}
