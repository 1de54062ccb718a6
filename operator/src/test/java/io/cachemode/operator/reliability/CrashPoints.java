package io.cachemode.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachemode.operator.api.ApiConstants;
import io.cachemode.operator.api.Phase;
import io.cachemode.operator.api.RequestVerdict;
import io.cachemode.operator.api.ValueState;
import io.cachemode.operator.api.WindowStartStatus;
import io.cachemode.operator.targets.fly.LocalFlyApp;
import io.cachemode.operator.testing.AdmissionGate;
import io.cachemode.operator.testing.LocalHttpServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The crash points of issue 13, each as a {@link CrashPoint}. */
final class CrashPoints {
  /** How much later than due a window may close or a sample be taken, with takeover noise. */
  static final Duration SLACK = Duration.ofSeconds(15);

  private static final List<Phase> APPLIED =
      List.of(Phase.RollingOut, Phase.Verifying, Phase.Suspended);
  private static final List<Phase> MEASURED =
      List.of(Phase.Baselining, Phase.RollingOut, Phase.Verifying, Phase.Suspended);

  private CrashPoints() {}

  /** Every crash point, named {@code <prefix>-<point>}. */
  static List<CrashPoint> all(World w, LocalHttpServer http, String prefix) {
    return List.of(
        new AfterBaseline(w, prefix + "-baseline"),
        new AfterWrite(w, prefix + "-write"),
        new BetweenRestarts(w, prefix + "-between"),
        new DuringRollout(w, prefix + "-rollout"),
        new DuringWindow(w, prefix + "-window"),
        new DuringWatch(w, prefix + "-watch"),
        new DuringRollbackWrite(w, http, prefix + "-rbwrite"),
        new DuringRollbackRollout(w, http, prefix + "-rbrollout"),
        new DuringFlyRoll(w, prefix + "-fly"));
  }

  /** A change that applies once: one write, one restart, then Suspended. */
  private abstract static class Suspending extends CrashPoint {
    Suspending(World w, String name) {
      super(w, name);
    }

    @Override
    Phase end() {
      return Phase.Suspended;
    }

    void assertAppliedOnce(List<Phase> history) {
      assertThat(flagValue()).isEqualTo("true");
      assertOtherKeyKept();
      assertThat(w.replicaSets(name)).as(name + ": exactly one restart").isEqualTo(2);
      assertThat(w.history(name)).as(name + " history").containsExactlyElementsOf(history);
      assertThat(w.cm(name).getStatus().getAppliedValueHash())
          .isEqualTo(w.fx.templateAnnotations(name).get(ApiConstants.FLAG_HASH_ANNOTATION));
      assertReadyAfter();
    }
  }

  /** Killed after the baseline sample, before the write (the write is refused until then). */
  static final class AfterBaseline extends Suspending {
    AfterBaseline(World w, String name) {
      super(w, name);
    }

    @Override
    String step() {
      return "after the baseline sample";
    }

    @Override
    void arrange() throws Exception {
      secret(digest());
      w.deployment(name, secret);
      holdWrite("true");
      cacheMode(meter("5s", "15m", "0s"));
    }

    @Override
    boolean reached() {
      var status = w.cm(name).getStatus();
      return status != null
          && status.getRequests() != null
          && status.getRequests().getBefore() != null
          && refused()
          && digest().equals(flagValue());
    }

    @Override
    void assertConverged(Instant takeover) {
      assertAppliedOnce(MEASURED);
      var requests = w.cm(name).getStatus().getRequests();
      assertThat(requests.getBefore().getPerMinute()).as("a baseline was measured").isPositive();
      assertThat(requests.getVerdict()).isEqualTo(RequestVerdict.Reduced);
    }
  }

  /** Killed right after the Secret write (the restart is refused until then). */
  static final class AfterWrite extends Suspending {
    AfterWrite(World w, String name) {
      super(w, name);
    }

    @Override
    String step() {
      return "right after the Secret write";
    }

    @Override
    void arrange() {
      secret(digest());
      w.deployment(name, secret);
      gate = AdmissionGate.restart(w.client, w.ns, "deployments", name);
      gate.awaitEffective(() -> dryRunRestart(w.client.apps().deployments(), w, name));
      cacheMode("");
    }

    @Override
    boolean reached() {
      return "true".equals(flagValue()) && !deploymentRestarted() && refused();
    }

    @Override
    void assertConverged(Instant takeover) {
      assertAppliedOnce(APPLIED);
      var before = w.cm(name).getStatus().getSecret().getBefore();
      assertThat(before.getState())
          .as("the value found before the write is still known after the crash")
          .isEqualTo(ValueState.DigestLike);
      assertThat(before.getEffectiveSuspend()).isFalse();
    }
  }

  /** Two workloads: killed after the first restart patch, before the second (refused). */
  static final class BetweenRestarts extends Suspending {
    private final String second;
    private String firstRestartedAt;

    BetweenRestarts(World w, String name) {
      super(w, name);
      this.second = name + "-b";
    }

    @Override
    String step() {
      return "between two workloads' restart patches";
    }

    @Override
    void arrange() {
      secret("false");
      w.deployment(name, secret);
      w.statefulSet(second, secret);
      gate = AdmissionGate.restart(w.client, w.ns, "statefulsets", second);
      gate.awaitEffective(() -> dryRunRestart(w.client.apps().statefulSets(), w, second));
      cacheMode(
          "[{kind: Deployment, name: %s}, {kind: StatefulSet, name: %s}]".formatted(name, second),
          "");
    }

    @Override
    boolean reached() {
      return deploymentRestarted()
          && !w.statefulSetTemplate(second).containsKey(ApiConstants.FLAG_HASH_ANNOTATION)
          && refused();
    }

    @Override
    void atKill() {
      firstRestartedAt = restartedAt();
    }

    @Override
    void assertConverged(Instant takeover) {
      assertThat(flagValue()).isEqualTo("true");
      assertThat(restartedAt())
          .as("the first workload was not restarted again")
          .isEqualTo(firstRestartedAt);
      assertThat(w.replicaSets(name)).as("Deployment: one restart").isEqualTo(2);
      assertThat(w.revisions(second)).as("StatefulSet: one restart").isEqualTo(2);
      assertThat(w.history(name)).containsExactlyElementsOf(APPLIED);
      assertReadyAfter();
    }
  }

  /** Killed while the restarted Deployment rolls out (its new pods are held at admission). */
  static final class DuringRollout extends Suspending {
    private String restartedAt;

    DuringRollout(World w, String name) {
      super(w, name);
    }

    @Override
    String step() {
      return "during the rollout";
    }

    @Override
    void arrange() {
      secret(digest());
      w.deployment(name, secret);
      holdPods("true");
      cacheMode("");
    }

    @Override
    boolean reached() {
      return w.phase(name) == Phase.RollingOut && w.replicaSets(name) == 2;
    }

    @Override
    void atKill() {
      restartedAt = restartedAt();
    }

    @Override
    void assertConverged(Instant takeover) {
      assertAppliedOnce(APPLIED);
      assertThat(restartedAt()).isEqualTo(restartedAt);
    }
  }

  /** Killed while the GET-rate window after the rollout is open. */
  static final class DuringWindow extends Suspending {
    private static final Duration WINDOW = Duration.ofSeconds(60);
    private WindowStartStatus atKill;

    DuringWindow(World w, String name) {
      super(w, name);
    }

    @Override
    String step() {
      return "during the request window";
    }

    @Override
    void arrange() throws Exception {
      secret(digest());
      w.deployment(name, secret);
      cacheMode(meter(WINDOW.toSeconds() + "s", "15m", "0s"));
    }

    @Override
    boolean reached() {
      var status = w.cm(name).getStatus();
      return w.phase(name) == Phase.Verifying
          && status.getRequests() != null
          && status.getRequests().getWindowStart() != null;
    }

    @Override
    void atKill() {
      atKill = w.cm(name).getStatus().getRequests().getWindowStart();
    }

    @Override
    void assertConverged(Instant takeover) {
      assertAppliedOnce(MEASURED);
      var requests = w.cm(name).getStatus().getRequests();
      assertThat(requests.getVerdict()).isEqualTo(RequestVerdict.Reduced);
      assertClosedWhenDue(
          "the window open at the crash", atKill, WINDOW, requests.getJudgedAt(), takeover);
    }
  }

  /** Killed during the watch after the verdict (watchFor), between two samples. */
  static final class DuringWatch extends Suspending {
    private static final Duration INTERVAL = Duration.ofSeconds(30);
    private WindowStartStatus atKill;
    private int samplesAtKill;

    DuringWatch(World w, String name) {
      super(w, name);
    }

    @Override
    String step() {
      return "during the watch period";
    }

    @Override
    void arrange() throws Exception {
      secret(digest());
      w.deployment(name, secret);
      cacheMode(meter("5s", INTERVAL.toSeconds() + "s", "30m"));
    }

    @Override
    boolean reached() {
      var status = w.cm(name).getStatus();
      return w.phase(name) == Phase.Suspended
          && status.getRequests().getWatchUntil() != null
          && status.getRequests().getWindowStart() != null;
    }

    @Override
    void atKill() {
      var requests = w.cm(name).getStatus().getRequests();
      atKill = requests.getWindowStart();
      samplesAtKill = requests.getSamples() == null ? 0 : requests.getSamples().size();
    }

    @Override
    boolean converged() {
      var requests = w.cm(name).getStatus().getRequests();
      return super.converged()
          && requests.getSamples() != null
          && requests.getSamples().size() > samplesAtKill;
    }

    @Override
    void assertConverged(Instant takeover) {
      assertAppliedOnce(MEASURED);
      var sample = w.cm(name).getStatus().getRequests().getSamples().get(samplesAtKill);
      assertClosedWhenDue(
          "the watch window open at the crash", atKill, INTERVAL, sample.getTime(), takeover);
      assertThat(sample.getPerMinute()).isZero();
    }
  }

  /** A failed health check rolls back: killed at a step of the rollback. */
  private abstract static class RollingBack extends CrashPoint {
    private final LocalHttpServer http;

    RollingBack(World w, LocalHttpServer http, String name) {
      super(w, name);
      this.http = http;
    }

    /** Holds the rollback at this point's step. */
    abstract void hold();

    @Override
    void arrange() {
      secret(digest());
      w.deployment(name, secret);
      hold();
      cacheMode(health(http));
    }

    @Override
    Phase end() {
      return Phase.RolledBack;
    }

    /** Change and rollback each restarted the Deployment once; the value before is back. */
    @Override
    void assertConverged(Instant takeover) {
      assertThat(flagValue()).as(name + ": the value before, canonical").isEqualTo("false");
      assertOtherKeyKept();
      assertThat(w.replicaSets(name))
          .as(name + ": one restart for the change, one for the rollback")
          .isEqualTo(3);
      assertThat(w.history(name))
          .as(name + " history")
          .containsExactly(Phase.RollingOut, Phase.Verifying, Phase.RollingBack, Phase.RolledBack);
      assertReadyAfter();
    }
  }

  /** Killed while the rollback's write is refused. */
  static final class DuringRollbackWrite extends RollingBack {
    DuringRollbackWrite(World w, LocalHttpServer http, String name) {
      super(w, http, name);
    }

    @Override
    String step() {
      return "during a rollback's write";
    }

    @Override
    void hold() {
      holdWrite("false");
    }

    @Override
    boolean reached() {
      return w.phase(name) == Phase.RollingBack && refused() && "true".equals(flagValue());
    }
  }

  /** Killed while the rollback's restart rolls out (its pods are held at admission). */
  static final class DuringRollbackRollout extends RollingBack {
    private String rollbackRestartedAt;

    DuringRollbackRollout(World w, LocalHttpServer http, String name) {
      super(w, http, name);
    }

    @Override
    String step() {
      return "during a rollback's rollout";
    }

    @Override
    void hold() {
      holdPods("false");
    }

    @Override
    boolean reached() {
      return w.phase(name) == Phase.RollingBack && w.replicaSets(name) == 3;
    }

    @Override
    void atKill() {
      rollbackRestartedAt = restartedAt();
    }

    @Override
    void assertConverged(Instant takeover) {
      super.assertConverged(takeover);
      assertThat(restartedAt()).isEqualTo(rollbackRestartedAt);
    }
  }

  /**
   * A Fly app of three machines whose second is leased by a deploy in progress: killed after the
   * secret write and the first machine's update, while the roll waits for the second. Each machine
   * must be updated exactly once (Fly's accepted updates, each a new machine version) and the
   * secret written once.
   */
  static final class DuringFlyRoll extends CrashPoint {
    private static final List<String> MACHINES = List.of("m1", "m2", "m3");
    private LocalFlyApp app;
    private int writesAtKill;

    DuringFlyRoll(World w, String name) {
      super(w, name);
    }

    @Override
    String step() {
      return "during a Fly machine roll";
    }

    @Override
    void arrange() throws Exception {
      app = own(new LocalFlyApp(name));
      app.fly.secret(KEY, digest()).secret("DATABASE_URL", "postgres://db/" + name);
      for (String id : MACHINES) {
        app.fly.machine(id, "started", app.config());
      }
      app.fly.leaseHeldBy("m2", "deploy@example.com", Duration.ofMinutes(10));
      w.fx.secret(name + "-token", Map.of("token", LocalFlyApp.TOKEN));
      w.fx.create(app.cacheMode(name + "-token", "{settle: 0s, timeout: 5m}"));
    }

    @Override
    boolean reached() {
      return app.fly.secretWrites().size() == 1
          && app.fly.acceptedUpdatesOf("m1").size() == 1
          && app.fly.acceptedUpdatesOf("m2").isEmpty();
    }

    @Override
    void atKill() {
      writesAtKill = app.fly.secretWrites().size();
    }

    @Override
    void release() {
      app.fly.releaseForeignLease("m2");
    }

    @Override
    Phase end() {
      return Phase.Suspended;
    }

    @Override
    void assertConverged(Instant takeover) {
      assertThat(app.fly.secretWrites())
          .as(name + ": the secret written once")
          .hasSize(writesAtKill);
      assertThat(app.fly.secretValue(KEY)).isEqualTo("true");
      assertThat(app.fly.secretValue("DATABASE_URL")).isEqualTo("postgres://db/" + name);
      for (String id : MACHINES) {
        assertThat(app.fly.acceptedUpdatesOf(id))
            .as(name + ": machine " + id + " updated exactly once")
            .hasSize(1);
        assertThat(app.fly.runningValue(id, KEY)).as(id + " runs the change").isEqualTo("true");
      }
      assertThat(w.history(name)).as(name + " history").containsExactlyElementsOf(APPLIED);
      assertReadyAfter();
    }
  }

  /**
   * A window open when the process was killed closed when it was due (or at once after the
   * takeover, if it was overdue by then), not a full length after the takeover: its start was in
   * status, not in memory.
   */
  private static void assertClosedWhenDue(
      String what, WindowStartStatus open, Duration length, String closedAt, Instant takeover) {
    Instant due = Instant.parse(open.getAt()).plus(length);
    Instant latest = due.isAfter(takeover) ? due : takeover;
    assertThat(Instant.parse(closedAt))
        .as("%s (opened %s) closed when due", what, open.getAt())
        .isAfterOrEqualTo(due)
        .isBefore(latest.plus(SLACK));
  }

  static void dryRunWrite(World w, String secret, String value) {
    w.client
        .secrets()
        .inNamespace(w.ns)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(secret)
                .endMetadata()
                .withStringData(Map.of(CrashPoint.KEY, value))
                .build())
        .dryRun()
        .fieldManager("gate-probe")
        .forceConflicts()
        .serverSideApply();
  }

  /** A dry-run restart of a Deployment or StatefulSet (a gate must refuse it). */
  static <T extends HasMetadata> void dryRunRestart(
      io.fabric8.kubernetes.client.dsl.MixedOperation<T, ?, ? extends Resource<T>> kind,
      World w,
      String name) {
    Function<T, PodTemplateSpec> template =
        o ->
            o instanceof Deployment d
                ? d.getSpec().getTemplate()
                : ((StatefulSet) o).getSpec().getTemplate();
    kind.inNamespace(w.ns)
        .withName(name)
        .dryRun()
        .edit(
            o -> {
              template
                  .apply(o)
                  .getMetadata()
                  .setAnnotations(Map.of(ApiConstants.FLAG_HASH_ANNOTATION, "probe"));
              return o;
            });
  }

  static void dryRunPod(World w, String hash) {
    w.client
        .pods()
        .inNamespace(w.ns)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("gate-probe")
                .addToAnnotations(ApiConstants.FLAG_HASH_ANNOTATION, hash)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .withImage("example/probe:1")
                .endContainer()
                .endSpec()
                .build())
        .dryRun()
        .create();
  }
}
