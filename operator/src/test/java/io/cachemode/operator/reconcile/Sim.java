package io.cachemode.operator.reconcile;

import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.CacheModeSpec;
import io.cachemode.operator.api.Phase;
import io.cachemode.operator.audit.Events;
import io.cachemode.operator.audit.OperatorMetrics;
import io.cachemode.operator.verify.VerificationJobs;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The reconcile loop without a cluster: the real observer, phase machine, executor and notifier
 * over a fake target and verifier, a clock the test moves, and verification jobs that run when the
 * test lets them (at once by default).
 */
final class Sim {
  Instant now = Instant.parse("2026-11-29T03:00:00Z");
  final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };
  final FakeTarget target;
  final FakeVerifier verifier = new FakeVerifier(() -> now);
  final CacheMode cm;
  final List<String> events = new ArrayList<>();

  /** The Events' messages, in the order of {@link #events}. */
  final List<String> eventMessages = new ArrayList<>();

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  /** Jobs waiting to run while {@link #holdJobs} is set. */
  final Queue<Runnable> heldJobs = new ArrayDeque<>();

  boolean holdJobs;

  /** A job finished: its completion event asks for another reconcile at once. */
  private boolean woken;

  private ReconcileCore core;
  private final Notifier notifier;
  Decision last;

  Sim(boolean suspend, String extraSpec, FakeTarget target) {
    this.target = target;
    this.cm = cacheMode(suspend, extraSpec);
    this.core = newCore();
    this.notifier =
        new Notifier(
            new Events() {
              @Override
              public void normal(CacheMode c, String reason, String message) {
                events.add(reason);
                eventMessages.add(message);
              }

              @Override
              public void warning(CacheMode c, String reason, String message) {
                events.add("Warning:" + reason);
                eventMessages.add(message);
              }
            },
            new OperatorMetrics(registry));
  }

  private ReconcileCore newCore() {
    VerificationJobs<ResourceID> jobs =
        new VerificationJobs<>(
            r -> {
              if (holdJobs) {
                heldJobs.add(r);
              } else {
                r.run();
              }
            },
            owner -> woken = true);
    return new ReconcileCore(jobs, verifier, clock);
  }

  static CacheMode cacheMode(boolean suspend, String extraSpec) {
    CacheMode cm =
        Serialization.unmarshal(
            """
            apiVersion: cachemode.io/v1alpha1
            kind: CacheMode
            metadata: {name: app-redis, namespace: ns, uid: u-1, generation: 1}
            spec:
              suspend: %s
              target:
                kubernetes:
                  secretRef: {name: app-env, key: SUSPEND_REDIS}
                  workloads: [{kind: Deployment, name: app}]
              rollout: {timeout: 1m}
            %s
            """
                .formatted(suspend, extraSpec.indent(2)),
            CacheMode.class);
    cm.getMetadata().setCreationTimestamp("2026-11-29T01:00:00Z");
    cm.getMetadata()
        .setManagedFields(
            List.of(
                new ManagedFieldsEntryBuilder()
                    .withManager("kubectl")
                    .withTime("2026-11-29T02:00:00Z")
                    .build()));
    return cm;
  }

  /**
   * One reconcile, plus the ones that follow at once: those that finished verification jobs trigger
   * (as their completion events do) and those a decision asks for without delay (as JOSDK does for
   * {@code rescheduleAfter(0)}); each written status becomes the resource's, then a second passes.
   */
  Decision step() {
    return step(() -> Stream.of(cm));
  }

  Decision step(Supplier<Stream<CacheMode>> contenders) {
    int reconciles = 0;
    do {
      woken = false;
      ReconcileCore.Outcome outcome = core.step(cm, target, contenders);
      last = outcome.decision();
      if (last.status().changed()) {
        cm.setStatus(last.status().next());
      }
      core.recorded(outcome);
      notifier.announce(cm, last, outcome.results());
      now = now.plusSeconds(1);
    } while ((woken || last.requeue().filter(Duration::isZero).isPresent()) && ++reconciles < 10);
    return last;
  }

  /**
   * Reconciles until one reconcile acts on the world (writes or restarts) and then dies before its
   * status is written, as a process SIGKILLed between its actions and its status patch would. The
   * reconciles before it are recorded normally; in-memory job results are lost with the process.
   */
  void crashAfterFirstAction() {
    for (int i = 0; i < 10; i++) {
      int before = target.writes.size() + target.restarts.size();
      ReconcileCore.Outcome outcome = core.step(cm, target, () -> Stream.of(cm));
      now = now.plusSeconds(1);
      if (target.writes.size() + target.restarts.size() > before) {
        restartOperator();
        return;
      }
      last = outcome.decision();
      if (last.status().changed()) {
        cm.setStatus(last.status().next());
      }
      core.recorded(outcome);
    }
    throw new AssertionError("no reconcile acted on the world");
  }

  /** Reconciles until the phase is {@code phase} (at most {@code max} times). */
  Sim until(Phase phase, int max) {
    for (int i = 0; i < max && phase() != phase; i++) {
      step();
    }
    return this;
  }

  void runHeldJobs() {
    while (!heldJobs.isEmpty()) {
      heldJobs.poll().run();
    }
  }

  /** The operator process restarts: every in-memory job result is gone. */
  void restartOperator() {
    heldJobs.clear();
    core = newCore();
  }

  /** A reconcile failed with an unexpected error: only what updateErrorStatus writes changes. */
  void error(String message) {
    cm.setStatus(StatusBuilder.error(cm, now, message));
  }

  /** A spec edit, long enough ago that it has settled. */
  void edit(Consumer<CacheModeSpec> change) {
    change.accept(cm.getSpec());
    cm.getMetadata().setGeneration(cm.getMetadata().getGeneration() + 1);
    cm.getMetadata()
        .setManagedFields(
            List.of(
                new ManagedFieldsEntryBuilder()
                    .withManager("kubectl")
                    .withTime(now.minusSeconds(10).toString())
                    .build()));
  }

  void advance(Duration d) {
    now = now.plus(d);
  }

  Phase phase() {
    return cm.getStatus() == null ? null : cm.getStatus().getPhase();
  }

  /** "Status/Reason" of a condition, or "absent". */
  String condition(String type) {
    return conditionOf(type).map(c -> c.getStatus() + "/" + c.getReason()).orElse("absent");
  }

  Optional<Condition> conditionOf(String type) {
    return cm.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst();
  }

  Optional<Duration> requeue() {
    return last.requeue();
  }
}
