package io.cachemode.operator.reconcile;

import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.CacheModeStatus;
import io.cachemode.operator.reconcile.Observation.Checks;
import io.cachemode.operator.targets.FlagReading;
import io.cachemode.operator.targets.Target;
import io.cachemode.operator.targets.Target.ReferenceProblem;
import io.cachemode.operator.verify.VerificationJobs;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Takes a reconcile's {@link Observation}: the target's references, flag and workloads read afresh,
 * and the verification results that earlier reconciles asked for.
 */
final class Observer {
  private final VerificationJobs<ResourceID> jobs;

  Observer(VerificationJobs<ResourceID> jobs) {
    this.jobs = jobs;
  }

  /** What was seen, and which finished jobs it includes (to forget once recorded). */
  record Seen(Observation observation, List<VerificationJobs.Key<ResourceID>> consumed) {}

  Seen observe(CacheMode cm, Target target, Stream<CacheMode> contenders, Instant now) {
    CacheModeStatus status = Optional.ofNullable(cm.getStatus()).orElseGet(CacheModeStatus::new);
    boolean unseenEdit =
        !Objects.equals(status.getObservedGeneration(), cm.getMetadata().getGeneration());
    Optional<Duration> settling =
        unseenEdit ? Coalescing.remaining(cm, now) : Optional.<Duration>empty();
    if (settling.isPresent()) {
      return new Seen(
          new Observation(
              now,
              settling,
              Optional.empty(),
              List.of(),
              null,
              List.of(),
              Map.of(),
              Optional.empty(),
              Checks.none()),
          List.of());
    }
    Optional<String> conflict = Claims.conflict(cm, contenders);
    List<ReferenceProblem> problems = conflict.isPresent() ? List.of() : target.validate();
    if (conflict.isPresent() || !problems.isEmpty()) {
      return new Seen(
          new Observation(
              now,
              settling,
              conflict,
              problems,
              null,
              List.of(),
              Map.of(),
              Optional.empty(),
              Checks.none()),
          List.of());
    }
    FlagReading flag = target.readFlag();
    PhaseMachine.Wanted wanted = PhaseMachine.wanted(cm, target.location());
    List<VerificationJobs.Key<ResourceID>> consumed = new ArrayList<>();
    ResourceID owner = ResourceID.fromResource(cm);
    Checks checks =
        new Checks(
            result(owner, Check.BASELINE, status, consumed),
            result(owner, Check.HEALTH, status, consumed),
            result(owner, Check.LOGS, status, consumed),
            result(owner, Check.WINDOW_START, status, consumed),
            result(owner, Check.WINDOW_END, status, consumed));
    return new Seen(
        new Observation(
            now,
            settling,
            conflict,
            problems,
            flag,
            target.rolloutState(wanted.hash()),
            target.flagUse(),
            target.pollInterval(),
            checks),
        consumed);
  }

  private <T> Optional<T> result(
      ResourceID owner,
      Check check,
      CacheModeStatus status,
      List<VerificationJobs.Key<ResourceID>> consumed) {
    Optional<String> id = check.id(status);
    if (id.isEmpty()) {
      return Optional.empty();
    }
    VerificationJobs.Key<ResourceID> key = new VerificationJobs.Key<>(owner, id.get());
    Optional<T> result = jobs.result(key);
    result.ifPresent(r -> consumed.add(key));
    return result;
  }
}
