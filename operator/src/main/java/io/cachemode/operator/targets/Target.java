package io.cachemode.operator.targets;

import io.cachemode.operator.flag.FlagLocation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The place a flag lives and the workloads that read it. The reconciler drives every target through
 * this interface only, so it never knows whether it talks to Kubernetes or to Fly.io. An instance
 * lives for one reconcile; what must outlive it is in the world or in the {@link WriteReceipt} the
 * reconciler keeps in status.
 *
 * <p>Expected failures of a reference (a missing Secret, an unknown workload) are returned as
 * {@link ReferenceProblem}s; transient failures (network, API errors) throw {@link TargetException}
 * so the reconcile is retried.
 */
public interface Target {

  /** Where the flag lives: {@code id()} for hashes and claims, {@code toString()} for people. */
  FlagLocation location();

  /**
   * From now on in this reconcile, read from the store itself, not from any cache: a write or
   * restart is about to be decided. A target that reads nothing through a cache does nothing.
   */
  default void readFresh() {}

  /** Checks that everything the target refers to exists and is usable. Empty when all is well. */
  List<ReferenceProblem> validate();

  /** What the store tells about the flag's value. Never log or record the value itself. */
  FlagReading readFlag();

  /**
   * Marks the flag's home as managed (labels, owner annotation) without changing the value, so
   * later edits by others reach the operator as events. Never called in dry-run mode.
   */
  void claim();

  /**
   * Removes what {@link #claim()} added, leaving the value as it is; called when the CacheMode is
   * deleted, so nothing keeps guarding a key that nobody manages.
   *
   * @return whether anything was removed
   */
  boolean release();

  /**
   * Writes {@code canonicalValue} ("true" or "false") to the flag key, touching nothing else.
   *
   * @return what was written and what the store recorded for it
   */
  WriteReceipt writeFlag(String canonicalValue, Instant now);

  /**
   * Restarts every workload whose pods do not yet run with {@code flagHash}; workloads already
   * restarted for it are left alone, so calling this twice for one change restarts nothing the
   * second time.
   *
   * @return the workloads this call restarted (empty when all already carried the hash)
   */
  List<String> restart(String flagHash, Instant now);

  /** The rollout state of every workload with respect to {@code flagHash}. */
  List<WorkloadState> rolloutState(String flagHash);

  /**
   * How each workload ("Kind name") reads the flag key (see {@link FlagUse}); empty for targets
   * that cannot tell (a Fly machine's config does not say how the app reads its secrets).
   */
  default Map<String, String> flagUse() {
    return Map.of();
  }

  /**
   * How often to look again while a rollout is in progress, for targets whose changes arrive as no
   * event. Empty for targets watched through informers.
   */
  default Optional<Duration> pollInterval() {
    return Optional.empty();
  }

  /**
   * Why a reference cannot be used: a CamelCase reason for the condition and a message naming the
   * object.
   */
  record ReferenceProblem(String reason, String message) {}
}
