package io.cachemode.operator.reconcile;

import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.CacheModeStatus;
import io.cachemode.operator.api.WorkloadKind;
import io.cachemode.operator.api.WorkloadReference;
import io.cachemode.operator.api.WorkloadStatus;
import io.cachemode.operator.targets.Target;
import io.cachemode.operator.targets.WorkloadState;
import io.cachemode.operator.targets.WriteReceipt;
import io.cachemode.operator.verify.FailureKind;
import io.cachemode.operator.verify.Measurement;
import io.cachemode.operator.verify.VerificationJobs;
import io.cachemode.operator.verify.Verifier;
import io.cachemode.operator.verify.WindowStart;
import io.cachemode.operator.verify.WindowStarts;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Performs a decision's actions: writes and restarts through the target (a transient failure
 * throws, so the reconcile is retried and decides again from the world), verification work through
 * {@link VerificationJobs}, never on the reconcile thread.
 */
final class Executor {
  private final VerificationJobs<ResourceID> jobs;
  private final Verifier verification;
  private final Clock clock;

  Executor(VerificationJobs<ResourceID> jobs, Verifier verification, Clock clock) {
    this.jobs = jobs;
    this.verification = verification;
    this.clock = clock;
  }

  /**
   * What the actions returned that status must record.
   *
   * @param written the store's record of a write
   * @param restarted the workloads restarted ("Kind name")
   * @param afterRestart the workloads read back after a restart
   */
  record Results(
      Optional<WriteReceipt> written,
      List<String> restarted,
      Optional<List<WorkloadState>> afterRestart) {}

  Results perform(CacheMode cm, Target target, CacheModeStatus next, List<Action> actions) {
    Optional<WriteReceipt> written = Optional.empty();
    List<String> restarted = new ArrayList<>();
    Optional<List<WorkloadState>> after = Optional.empty();
    for (Action a : actions) {
      if (a instanceof Action.WriteFlag w) {
        written = Optional.of(target.writeFlag(w.value(), clock.instant()));
      } else if (a instanceof Action.Claim) {
        target.claim();
      } else if (a instanceof Action.Restart r) {
        restarted.addAll(target.restart(r.flagHash(), clock.instant()));
        after = Optional.of(target.rolloutState(r.flagHash()));
      } else if (a instanceof Action.RunCheck run) {
        jobs.start(
            new VerificationJobs.Key<>(ResourceID.fromResource(cm), run.id()),
            work(cm, next, run.check()));
      }
    }
    return new Results(written, restarted, after);
  }

  private static WorkloadReference reference(WorkloadStatus w) {
    WorkloadReference r = new WorkloadReference();
    r.setKind(WorkloadKind.valueOf(w.getKind()));
    r.setName(w.getName());
    return r;
  }

  private Supplier<Object> work(CacheMode cm, CacheModeStatus next, Check check) {
    return switch (check) {
      case BASELINE -> () -> verification.baseline(cm);
      case HEALTH -> () -> verification.health(cm);
      case LOGS -> {
        List<WorkloadReference> workloads =
            next.getWorkloads().stream().map(Executor::reference).toList();
        yield () -> verification.logs(cm, workloads);
      }
      case WINDOW_START -> () -> verification.startWindow(cm);
      case WINDOW_END -> {
        WindowStart start =
            WindowStarts.fromStatus(next.getRequests().getWindowStart())
                .orElseGet(
                    () ->
                        new WindowStart.Unavailable(
                            clock.instant(),
                            new Measurement.Failure(
                                FailureKind.NoData, "the window's start in status is unreadable")));
        yield () -> verification.closeWindow(cm, start);
      }
    };
  }
}
