package io.cachemode.operator.reconcile;

import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.Phase;
import io.cachemode.operator.targets.Target;
import io.cachemode.operator.verify.VerificationJobs;
import io.cachemode.operator.verify.Verifier;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * One reconcile without the framework around it: observe, decide, act, and the status to record.
 * The JOSDK reconciler writes that status and announces it; tests drive this directly with a fake
 * target and verifier.
 */
final class ReconcileCore {
  private final VerificationJobs<ResourceID> jobs;
  private final Observer observer;
  private final Executor executor;
  private final Clock clock;

  ReconcileCore(VerificationJobs<ResourceID> jobs, Verifier verifier, Clock clock) {
    this.jobs = jobs;
    this.observer = new Observer(jobs);
    this.executor = new Executor(jobs, verifier, clock);
    this.clock = clock;
  }

  /** What one reconcile decided and did; its status is ready to write. */
  record Outcome(
      Decision decision,
      Executor.Results results,
      List<VerificationJobs.Key<ResourceID>> consumed) {}

  Outcome step(CacheMode cm, Target target, Supplier<Stream<CacheMode>> contenders) {
    Observer.Seen seen = observer.observe(cm, target, contenders.get(), clock.instant());
    Decision decision = PhaseMachine.decide(cm, target.location(), seen.observation());
    if (actsOnTheWorld(decision)) {
      // The first look may come from informer caches, which can lag behind the world: a write, a
      // restart or a failure is decided again on what the store says now.
      target.readFresh();
      seen = observer.observe(cm, target, contenders.get(), clock.instant());
      decision = PhaseMachine.decide(cm, target.location(), seen.observation());
    }
    Executor.Results results =
        executor.perform(cm, target, decision.status().next(), decision.actions());
    decision.status().record(results);
    return new Outcome(decision, results, seen.consumed());
  }

  private static boolean actsOnTheWorld(Decision d) {
    return d.actions().stream()
            .anyMatch(a -> a instanceof Action.WriteFlag || a instanceof Action.Restart)
        || d.status().phaseChanges().stream()
            .anyMatch(c -> c.to() == Phase.Failed || c.to() == Phase.RollingBack);
  }

  /** The outcome's status is written: the job results it consumed are no longer needed. */
  void recorded(Outcome outcome) {
    outcome.consumed().forEach(jobs::forget);
  }

  void forget(CacheMode cm) {
    jobs.forgetAll(ResourceID.fromResource(cm));
  }

  void close() {
    jobs.close();
  }
}
