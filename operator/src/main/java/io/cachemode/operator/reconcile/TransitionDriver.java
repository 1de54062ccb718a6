package io.cachemode.operator.reconcile;

import static io.cachemode.operator.reconcile.Conditions.HEALTHY;
import static io.cachemode.operator.reconcile.Conditions.READY;
import static io.cachemode.operator.reconcile.Conditions.REQUESTS_REDUCED;
import static io.cachemode.operator.reconcile.Conditions.ROLLOUT_COMPLETE;
import static io.cachemode.operator.reconcile.Conditions.SECRET_SYNCED;
import static io.cachemode.operator.reconcile.Conditions.SECRET_VALUE_VALID;
import static io.cachemode.operator.reconcile.Conditions.SPEC_VALID;

import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.CacheModeSpec;
import io.cachemode.operator.api.CheckResult;
import io.cachemode.operator.api.HealthCheckStatus;
import io.cachemode.operator.api.Phase;
import io.cachemode.operator.api.RequestVerdict;
import io.cachemode.operator.api.RequestsStatus;
import io.cachemode.operator.api.SecretStatus;
import io.cachemode.operator.api.ValueReading;
import io.cachemode.operator.api.ValueState;
import io.cachemode.operator.api.WorkloadResult;
import io.cachemode.operator.api.WorkloadStatus;
import io.cachemode.operator.api.WriteRecord;
import io.cachemode.operator.flag.FlagHashes;
import io.cachemode.operator.flag.FlagValues;
import io.cachemode.operator.support.Durations;
import io.cachemode.operator.targets.FlagReading;
import io.cachemode.operator.targets.Target;
import io.cachemode.operator.targets.Target.ReferenceProblem;
import io.cachemode.operator.targets.WorkloadState;
import io.cachemode.operator.targets.WriteReceipt;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Moves one CacheMode one step closer to its spec, reading the world (flag value, workload
 * annotations, rollout state) afresh each time. Each step is idempotent, so a replayed event or a
 * restarted operator resumes where the world stands: a workload already carrying the change's flag
 * hash is never restarted again.
 */
final class TransitionDriver {
  /** How often a CacheMode with an unresolved reference or a conflict is looked at again. */
  static final Duration RECHECK = Duration.ofSeconds(30);

  private static final Set<Phase> IN_FLIGHT =
      EnumSet.of(Phase.RollingOut, Phase.Verifying, Phase.RollingBack);

  private final Clock clock;
  private final Verification verification;
  private final Notifier notifier;

  TransitionDriver(Clock clock, Verification verification, Notifier notifier) {
    this.clock = clock;
    this.verification = verification;
    this.notifier = notifier;
  }

  /** What the caller should do after the status is written. */
  record Outcome(Optional<Duration> requeueAfter) {
    static Outcome done() {
      return new Outcome(Optional.empty());
    }

    static Outcome after(Duration d) {
      return new Outcome(Optional.of(d.isNegative() ? Duration.ZERO : d));
    }
  }

  Outcome drive(CacheMode cm, Target target, Optional<String> conflict, StatusUpdate st) {
    CacheModeSpec spec = cm.getSpec();
    if (!st.sameGeneration()) {
      Optional<Duration> settle = Coalescing.remaining(cm, clock.instant());
      if (settle.isPresent()) {
        st.keepPrevious();
        return Outcome.after(settle.get());
      }
    }
    if (conflict.isPresent()) {
      return blocked(cm, st, "Conflict", conflict.get());
    }
    List<ReferenceProblem> problems = target.validate();
    if (!problems.isEmpty()) {
      String message =
          problems.stream().map(ReferenceProblem::message).collect(Collectors.joining("; "));
      return blocked(cm, st, problems.get(0).reason(), message);
    }
    st.condition(
        SPEC_VALID, true, "Valid", "all references resolved; the flag is " + target.location());

    FlagReading flag = target.readFlag();
    Optional<String> raw = flag.value();
    ValueReading current = reading(cm, flag);
    recordSecret(cm, target, st, current);

    boolean sameGeneration = st.sameGeneration();
    Phase phase = st.phase();
    if (sameGeneration && (phase == Phase.RolledBack || phase == Phase.Failed)) {
      return Outcome.done();
    }
    boolean rollingBack = sameGeneration && phase == Phase.RollingBack;
    boolean desired =
        rollingBack ? st.next().getSecret().getBefore().getEffectiveSuspend() : spec.getSuspend();
    String value = FlagValues.canonical(desired);
    String hash = target.location().flagHash(value);
    boolean needsWrite = !flag.known() || !raw.equals(Optional.of(value));

    if (Boolean.TRUE.equals(spec.getDryRun())) {
      return plan(target, st, current, value, hash, needsWrite);
    }
    st.next().setPlannedChanges(new ArrayList<>());

    List<WorkloadState> states = target.rolloutState(hash);
    boolean needsRestart = states.stream().anyMatch(s -> !hash.equals(s.flagHash()));
    boolean starting =
        (needsWrite || needsRestart) && !(sameGeneration && IN_FLIGHT.contains(phase));
    if (starting) {
      st.next().getSecret().setBefore(current);
      st.next().setHealthChecks(new ArrayList<>());
      st.next().setHealth(null);
      st.next().setRequests(verification.baseline(cm).orElse(null));
    }
    if (needsWrite) {
      WriteReceipt receipt = target.writeFlag(value, clock.instant());
      st.next().getSecret().setLastWrite(record(receipt));
      st.next().getSecret().setCurrent(reading(cm, FlagReading.of(Optional.of(value))));
      String what =
          current.getState() == ValueState.Canonical
              ? "wrote " + value + " to " + target.location()
              : "repaired "
                  + target.location()
                  + ": "
                  + current.getState()
                  + " value replaced by "
                  + value;
      notifier.normal(
          cm, current.getState() == ValueState.Canonical ? "FlagWritten" : "SecretRepaired", what);
    }
    // Labelled only once it holds a canonical value: the chart's admission policy refuses any other
    // value under the
    // label, the operator's own writes included.
    target.claim();
    st.condition(
        SECRET_SYNCED,
        true,
        needsWrite ? "Written" : "InSync",
        target.location() + " holds " + value);

    if (needsRestart) {
      List<String> restarted = target.restart(hash, clock.instant());
      if (!restarted.isEmpty()) {
        notifier.restarted(cm, restarted, hash);
      }
      states = target.rolloutState(hash);
    }
    recordWorkloads(st, states);

    boolean complete = states.stream().allMatch(WorkloadState::complete);
    if (!rollingBack
        && complete
        && !needsWrite
        && hash.equals(st.previous().getAppliedValueHash())) {
      return settled(cm, st, desired);
    }
    return rollout(cm, target, st, states, desired, hash, rollingBack);
  }

  private Outcome rollout(
      CacheMode cm,
      Target target,
      StatusUpdate st,
      List<WorkloadState> states,
      boolean desired,
      String hash,
      boolean rollingBack) {
    Phase moving = rollingBack ? Phase.RollingBack : Phase.RollingOut;
    Optional<WorkloadState> failed =
        states.stream().filter(s -> s.result() == WorkloadResult.Failed).findFirst();
    if (failed.isPresent()) {
      WorkloadState f = failed.get();
      return fail(
          cm, st, rollingBack, "RolloutFailed", f.kind() + " " + f.name() + ": " + f.message());
    }
    if (!states.stream().allMatch(WorkloadState::complete)) {
      Duration timeout = Durations.parse(cm.getSpec().getRollout().getTimeout());
      Instant deadline = rolloutStart(states).plus(timeout);
      String waiting =
          states.stream()
              .filter(s -> !s.complete())
              .map(s -> s.kind() + " " + s.name() + ": " + s.message())
              .collect(Collectors.joining("; "));
      if (!clock.instant().isBefore(deadline)) {
        return fail(
            cm,
            st,
            rollingBack,
            "RolloutTimedOut",
            "rollout not complete after " + Durations.format(timeout) + ": " + waiting);
      }
      if (st.phase() != moving) {
        st.phase(
            moving,
            rollingBack ? "RollingBack" : "Restarted",
            "restarted workloads for flag hash " + hash);
      }
      st.condition(ROLLOUT_COMPLETE, false, "InProgress", waiting);
      st.condition(READY, false, rollingBack ? "RollingBack" : "RollingOut", waiting);
      Duration untilDeadline = Duration.between(clock.instant(), deadline);
      return Outcome.after(
          target.pollInterval().filter(p -> p.compareTo(untilDeadline) < 0).orElse(untilDeadline));
    }
    st.condition(
        ROLLOUT_COMPLETE,
        true,
        "Complete",
        "every workload runs the pods restarted for this change");
    return verify(cm, st, desired, hash, rollingBack);
  }

  private Outcome verify(
      CacheMode cm, StatusUpdate st, boolean desired, String hash, boolean rollingBack) {
    if (st.phase() != Phase.Verifying) {
      List<HealthCheckStatus> results = verification.health(cm);
      st.next().setHealthChecks(new ArrayList<>(results));
      if (results.isEmpty()) {
        st.next().setHealth(null);
        st.condition(HEALTHY, true, "NoChecks", "no health checks configured");
      } else {
        CheckResult overall = overall(results);
        st.next().setHealth(overall);
        String summary =
            results.stream()
                .map(
                    r ->
                        r.getName()
                            + " "
                            + r.getResult()
                            + (r.getMessage() == null ? "" : ": " + r.getMessage()))
                .collect(Collectors.joining("; "));
        notifier.health(cm, overall, summary);
        if (overall != CheckResult.Passed) {
          st.condition(HEALTHY, false, "HealthCheck" + overall, summary);
          return fail(cm, st, rollingBack, "HealthCheck" + overall, summary);
        }
        st.condition(HEALTHY, true, "HealthChecksPassed", summary);
      }
    }
    RequestsStatus before = st.next().getRequests();
    if (rollingBack || before == null) {
      if (cm.getSpec().getRequestMetrics() == null) {
        st.clearCondition(REQUESTS_REDUCED);
      }
      return rollingBack ? rolledBack(cm, st) : applied(cm, st, desired, hash);
    }
    Verification.WindowProgress progress = verification.afterRollout(cm, hash, before);
    if (progress.remaining().isPresent()) {
      st.phase(
          Phase.Verifying,
          "ObservingRequests",
          "measuring the GET rate for " + cm.getSpec().getRequestMetrics().getWindow());
      st.condition(READY, false, "Verifying", "observing the GET-request rate after the rollout");
      return Outcome.after(progress.remaining().get());
    }
    RequestsStatus judged = progress.result().orElseThrow();
    st.next().setRequests(judged);
    RequestVerdict verdict = judged.getVerdict();
    if (verdict == null) {
      st.clearCondition(REQUESTS_REDUCED);
    } else {
      st.condition(
          REQUESTS_REDUCED, verdict == RequestVerdict.Reduced, verdict.name(), judged.getMessage());
      notifier.requests(cm, verdict, judged.getMessage());
    }
    return applied(cm, st, desired, hash);
  }

  private Outcome applied(CacheMode cm, StatusUpdate st, boolean desired, String hash) {
    st.next().setAppliedSuspend(desired);
    st.next().setAppliedValueHash(hash);
    return settled(cm, st, desired);
  }

  private Outcome settled(CacheMode cm, StatusUpdate st, boolean suspended) {
    Phase end = suspended ? Phase.Suspended : Phase.Active;
    st.phase(end, suspended ? "Suspended" : "Activated", "the app runs with suspend=" + suspended);
    st.condition(
        READY,
        true,
        end.name(),
        "the app runs with suspend=" + suspended + " and passed verification");
    return Outcome.done();
  }

  private Outcome rolledBack(CacheMode cm, StatusUpdate st) {
    String cause =
        st.next().getHistory().stream()
            .filter(h -> h.getTo() == Phase.RollingBack)
            .reduce((a, b) -> b)
            .map(h -> h.getReason() + ": " + h.getMessage())
            .orElse("unknown cause");
    st.phase(Phase.RolledBack, "RolledBack", "previous value restored after " + cause);
    st.condition(
        READY,
        false,
        "RolledBack",
        "the change was rolled back after " + cause + "; edit the spec to retry");
    return Outcome.done();
  }

  private Outcome fail(
      CacheMode cm, StatusUpdate st, boolean rollingBack, String reason, String message) {
    ValueReading before = st.next().getSecret() == null ? null : st.next().getSecret().getBefore();
    boolean canRollBack =
        !rollingBack
            && Boolean.TRUE.equals(cm.getSpec().getRollbackOnFailure())
            && before != null
            && before.getEffectiveSuspend() != null
            && !Objects.equals(before.getEffectiveSuspend(), cm.getSpec().getSuspend());
    if (canRollBack) {
      st.phase(Phase.RollingBack, reason, message);
      st.condition(READY, false, "RollingBack", reason + ": " + message);
      return Outcome.after(Duration.ZERO);
    }
    String why = rollingBack ? "RollbackFailed" : reason;
    st.phase(Phase.Failed, why, message);
    st.condition(READY, false, why, message + (rollingBack ? "" : "; edit the spec to retry"));
    return Outcome.done();
  }

  private Outcome blocked(CacheMode cm, StatusUpdate st, String reason, String message) {
    st.condition(SPEC_VALID, false, reason, message);
    st.condition(READY, false, reason, message);
    if (st.phase() == null || !st.sameGeneration()) {
      st.phase(Phase.Pending, reason, message);
    }
    notifier.invalid(cm, st, reason, message);
    return Outcome.after(RECHECK);
  }

  private Outcome plan(
      Target target,
      StatusUpdate st,
      ValueReading current,
      String value,
      String hash,
      boolean needsWrite) {
    List<String> planned = new ArrayList<>();
    if (needsWrite) {
      planned.add(
          "write " + value + " to " + target.location() + " (now " + current.getState() + ")");
    }
    List<WorkloadState> states = target.rolloutState(hash);
    states.stream()
        .filter(s -> !hash.equals(s.flagHash()))
        .forEach(s -> planned.add("restart " + s.kind() + " " + s.name() + " (rolling)"));
    recordWorkloads(st, states);
    st.next().setPlannedChanges(planned);
    st.phase(
        Phase.Planned,
        "DryRun",
        planned.isEmpty() ? "nothing to change" : String.join("; ", planned));
    st.condition(READY, false, "DryRun", "dry run: nothing was written; see status.plannedChanges");
    return Outcome.done();
  }

  private void recordSecret(CacheMode cm, Target target, StatusUpdate st, ValueReading current) {
    var secret = Optional.ofNullable(st.next().getSecret()).orElseGet(SecretStatus::new);
    secret.setName(target.location().toString());
    secret.setCurrent(sameReading(secret.getCurrent(), current) ? secret.getCurrent() : current);
    st.next().setSecret(secret);
    String sentence =
        FlagValues.describe(
            current.getState(), cm.getSpec().getParseRule(), current.getEffectiveSuspend());
    ValueReading before = secret.getBefore();
    if (current.getState() == ValueState.Canonical
        && before != null
        && before.getState() != ValueState.Canonical) {
      st.condition(
          SECRET_VALUE_VALID,
          true,
          "Repaired",
          "repaired; when read at "
              + before.getObservedAt()
              + ", "
              + FlagValues.describe(
                  before.getState(), cm.getSpec().getParseRule(), before.getEffectiveSuspend()));
    } else if (current.getState() == ValueState.Canonical) {
      st.condition(SECRET_VALUE_VALID, true, "Canonical", sentence);
    } else {
      st.condition(
          SECRET_VALUE_VALID,
          false,
          reasonFor(current.getState()),
          sentence + "; it will be set to " + FlagValues.canonical(cm.getSpec().getSuspend()));
    }
  }

  /**
   * Keeps the first time a reading was seen, so an unchanged value does not rewrite status on every
   * reconcile.
   */
  private static boolean sameReading(ValueReading a, ValueReading b) {
    return a != null
        && a.getState() == b.getState()
        && Objects.equals(a.getEffectiveSuspend(), b.getEffectiveSuspend())
        && Objects.equals(a.getValueHash(), b.getValueHash());
  }

  private ValueReading reading(CacheMode cm, FlagReading flag) {
    Optional<String> raw = flag.value();
    ValueReading r = new ValueReading();
    r.setState(flag.known() ? FlagValues.classify(raw) : ValueState.Unknown);
    r.setEffectiveSuspend(
        flag.known() ? FlagValues.effectiveSuspend(cm.getSpec().getParseRule(), raw) : null);
    r.setValueHash(raw.map(v -> FlagHashes.valueHash(cm.getMetadata().getUid(), v)).orElse(null));
    r.setObservedAt(clock.instant().toString());
    flag.version()
        .ifPresent(
            v -> {
              r.setDigest(v.digest());
              r.setUpdatedAt(v.updatedAt());
            });
    r.setNote(flag.note().orElse(null));
    return r;
  }

  private static WriteRecord record(WriteReceipt receipt) {
    WriteRecord w = new WriteRecord();
    w.setValue(receipt.value());
    w.setWrittenAt(receipt.writtenAt());
    w.setDigest(receipt.version().digest());
    w.setUpdatedAt(receipt.version().updatedAt());
    w.setSecretsVersion(receipt.version().secretsVersion());
    return w;
  }

  private static String reasonFor(ValueState state) {
    return switch (state) {
      case Canonical -> "Canonical";
      case NonCanonicalBoolean -> "NonCanonicalBoolean";
      case DigestLike -> "DigestLikeValue";
      case NonBoolean -> "NonBooleanValue";
      case Empty -> "EmptyValue";
      case Missing -> "MissingKey";
      case Unknown -> "ValueUnknown";
    };
  }

  private static void recordWorkloads(StatusUpdate st, List<WorkloadState> states) {
    List<WorkloadStatus> out = new ArrayList<>();
    for (WorkloadState s : states) {
      WorkloadStatus w = new WorkloadStatus();
      w.setKind(s.kind());
      w.setName(s.name());
      w.setFlagHash(s.flagHash());
      w.setRestartedAt(s.restartedAt());
      w.setObservedGeneration(s.observedGeneration());
      w.setReplicas(s.replicas());
      w.setUpdatedReplicas(s.updatedReplicas());
      w.setReadyReplicas(s.readyReplicas());
      w.setResult(s.result());
      w.setMessage(s.message());
      out.add(w);
    }
    st.next().setWorkloads(out);
  }

  private Instant rolloutStart(List<WorkloadState> states) {
    return states.stream()
        .map(WorkloadState::restartedAt)
        .filter(Objects::nonNull)
        .map(Instant::parse)
        .min(Instant::compareTo)
        .orElse(clock.instant());
  }

  private static CheckResult overall(List<HealthCheckStatus> results) {
    if (results.stream().anyMatch(r -> r.getResult() == CheckResult.Failed)) {
      return CheckResult.Failed;
    }
    if (results.stream().anyMatch(r -> r.getResult() != CheckResult.Passed)) {
      return CheckResult.Inconclusive;
    }
    return CheckResult.Passed;
  }
}
