package io.cachemode.operator.reconcile;

import io.cachemode.operator.targets.FlagReading;
import io.cachemode.operator.targets.Target.ReferenceProblem;
import io.cachemode.operator.targets.WorkloadState;
import io.cachemode.operator.verify.HealthOutcome;
import io.cachemode.operator.verify.LogCheckResult;
import io.cachemode.operator.verify.Measurement;
import io.cachemode.operator.verify.Verifier.WindowSample;
import io.cachemode.operator.verify.WindowStart;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one reconcile saw of the world, taken before anything is decided. The phase machine reads
 * only this, the spec and the previous status.
 *
 * @param now the reconcile's time
 * @param settling time the spec must still stand unedited before anything is acted on
 * @param conflict a message naming the CacheMode that manages this flag location, when another one
 * @param problems unresolved references; when non-empty nothing below was read
 * @param flag the stored flag (null when {@code problems} is non-empty)
 * @param workloads every workload's rollout state with respect to the wanted flag hash
 * @param flagUse how each workload ("Kind name") reads the flag key, where the target can tell
 * @param pollInterval how often to look again during a rollout, for targets without events
 * @param checks results of verification jobs asked for by earlier reconciles
 */
record Observation(
    Instant now,
    Optional<Duration> settling,
    Optional<String> conflict,
    List<ReferenceProblem> problems,
    FlagReading flag,
    List<WorkloadState> workloads,
    Map<String, String> flagUse,
    Optional<Duration> pollInterval,
    Checks checks) {

  /** Finished verification jobs of the current transition, by what they measured. */
  record Checks(
      Optional<Measurement> baseline,
      Optional<List<HealthOutcome>> health,
      Optional<List<LogCheckResult>> logs,
      Optional<WindowStart> windowStart,
      Optional<WindowSample> window) {
    static Checks none() {
      return new Checks(
          Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
  }
}
