package io.cachemode.operator.reconcile;

import static io.cachemode.operator.api.Conditions.READY;
import static io.cachemode.operator.api.Conditions.ROLLOUT_COMPLETE;
import static io.cachemode.operator.api.Conditions.SECRET_SYNCED;
import static io.cachemode.operator.api.Conditions.SECRET_VALUE_VALID;
import static io.cachemode.operator.api.Conditions.SPEC_VALID;

import io.cachemode.operator.api.ApiConstants;
import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.ContestStatus;
import io.cachemode.operator.api.Phase;
import io.cachemode.operator.api.Reasons;
import io.cachemode.operator.api.TransitionStatus;
import io.cachemode.operator.api.ValueReading;
import io.cachemode.operator.api.ValueState;
import io.cachemode.operator.api.WorkloadResult;
import io.cachemode.operator.flag.FlagHashes;
import io.cachemode.operator.flag.FlagLocation;
import io.cachemode.operator.flag.FlagValues;
import io.cachemode.operator.support.Durations;
import io.cachemode.operator.targets.FlagReading;
import io.cachemode.operator.targets.FlagUse;
import io.cachemode.operator.targets.Target.ReferenceProblem;
import io.cachemode.operator.targets.WorkloadState;
import io.cachemode.operator.verify.VerificationJobs;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The transition core as a pure function: (spec, previous status, observation) → decision. It walks
 * a change through DESIGN §2: validate, baseline, apply (write and restart), roll out, verify, and
 * roll back when the rollout or health fails. Nothing here does I/O or reads a clock; the same
 * inputs always give the same decision, which is what makes every reconcile resumable.
 *
 * <p>The transition in progress is {@code status.transition}: its generation (not
 * observedGeneration) says which spec it applies, so a spec edit starts a new transition even after
 * RolledBack or Failed, and an error in between changes nothing the machine reads.
 */
final class PhaseMachine {
  /** How often a CacheMode with an unresolved reference or a conflict is looked at again. */
  static final Duration RECHECK = Duration.ofSeconds(30);

  /** How soon after a repair another writer's change counts as contesting the key. */
  static final Duration CONTEST_WINDOW = Duration.ofMinutes(10);

  /** Phases in which a spec edit that changes neither the value nor a workload is adopted as is. */
  private static final Set<Phase> ADOPTABLE =
      EnumSet.of(
          Phase.RollingOut, Phase.Verifying, Phase.Suspended, Phase.Active, Phase.Ineffective);

  private PhaseMachine() {}

  /** The value and restart hash the machine drives toward. */
  record Wanted(boolean suspend, String value, String hash) {}

  /**
   * What the workloads should run with: the transition's value while it applies this generation
   * (for a rollback, the value restored), the spec's value otherwise.
   */
  static Wanted wanted(CacheMode cm, FlagLocation location) {
    TransitionStatus t = cm.getStatus() == null ? null : cm.getStatus().getTransition();
    if (t != null && Objects.equals(t.getGeneration(), cm.getMetadata().getGeneration())) {
      String value = FlagValues.canonical(t.getSuspend());
      return new Wanted(t.getSuspend(), value, t.getFlagHash());
    }
    String value = FlagValues.canonical(cm.getSpec().getSuspend());
    return new Wanted(cm.getSpec().getSuspend(), value, location.flagHash(value));
  }

  static Decision decide(CacheMode cm, FlagLocation location, Observation obs) {
    return new PhaseMachine.Run(new Step(cm, obs), location).decide();
  }

  private static final class Run {
    private final Step s;
    private final StatusBuilder b;
    private final FlagLocation location;
    private final Wanted wanted;
    private boolean needsWrite;
    private boolean needsRestart;

    Run(Step s, FlagLocation location) {
      this.s = s;
      this.b = s.status;
      this.location = location;
      this.wanted = wanted(s.cm, location);
    }

    Decision decide() {
      if (s.obs.settling().isPresent()) {
        // Status stays exactly as it was, observedGeneration included: nothing was acted on.
        s.lookAgainAfter(s.obs.settling().get());
        return s.decision();
      }
      b.observed();
      if (s.obs.conflict().isPresent()) {
        return blocked(Reasons.CONFLICT, s.obs.conflict().get());
      }
      if (!s.obs.problems().isEmpty()) {
        List<ReferenceProblem> problems = s.obs.problems();
        String message =
            problems.stream().map(ReferenceProblem::message).collect(Collectors.joining("; "));
        return blocked(problems.get(0).reason(), message);
      }
      specValid();
      ValueReading current = recordReading();
      b.workloads(s.obs.workloads(), s.obs.flagUse());
      needsWrite =
          !s.obs.flag().known() || !s.obs.flag().value().equals(Optional.of(wanted.value()));
      // A skipped workload (a Fly machine that cannot be updated now) is reported, not waited for.
      needsRestart =
          s.obs.workloads().stream()
              .anyMatch(
                  w -> !wanted.hash().equals(w.flagHash()) && w.result() != WorkloadResult.Skipped);

      if (Boolean.TRUE.equals(s.spec.getDryRun())) {
        return plan(current);
      }
      b.next().setPlannedChanges(new ArrayList<>());
      TransitionStatus t = b.transition();
      boolean sameGeneration =
          t != null && Objects.equals(t.getGeneration(), s.cm.getMetadata().getGeneration());
      if (!sameGeneration) {
        boolean adopt =
            t != null
                && wanted.hash().equals(t.getFlagHash())
                && !needsWrite
                && !needsRestart
                && ADOPTABLE.contains(b.phase());
        if (!adopt) {
          return start(current);
        }
        // An edit that changes neither the value nor the workloads (a new health check, a longer
        // history) continues the transition instead of measuring a "before" that is already
        // after.
        t.setGeneration(s.cm.getMetadata().getGeneration());
      }
      return switch (b.phase()) {
        case Baselining -> baselining();
        case RollingOut, RollingBack ->
            needsWrite && holdsItsValue() ? drift(this::apply) : apply();
        case Verifying -> needsWrite ? drift(this::apply) : needsRestart ? apply() : rollout();
        case Suspended, Active, Ineffective -> settledPhase();
        case RolledBack, Failed, Pending, Planned -> s.decision();
      };
    }

    private Decision start(ValueReading current) {
      TransitionStatus t = new TransitionStatus();
      t.setGeneration(s.cm.getMetadata().getGeneration());
      t.setSuspend(wanted.suspend());
      t.setFlagHash(wanted.hash());
      t.setStartedAt(s.now().toString());
      t.setAttempt(0);
      b.next().setTransition(t);
      b.secret().setBefore(current);
      b.secret().setContest(null);
      b.secret().setLastRepairAt(null);
      Verifications.reset(b);
      String what =
          "applying suspend=" + wanted.suspend() + " (spec generation " + t.getGeneration() + ")";
      if (s.spec.getRequestMetrics() == null) {
        // A new transition leaves whatever phase the last one ended in, a rollback's included.
        b.phase(Phase.RollingOut, "Started", what);
      }
      if (s.spec.getRequestMetrics() != null) {
        b.next().setRequests(Verifications.newRequests(s.spec.getRequestMetrics()));
        b.phase(
            Phase.Baselining,
            Reasons.BASELINING,
            "measuring the GET rate before writing suspend=" + wanted.suspend());
        return baselining();
      }
      return apply();
    }

    private Decision baselining() {
      Optional<io.cachemode.operator.verify.Measurement> baseline = s.obs.checks().baseline();
      if (baseline.isEmpty()) {
        s.act(new Action.RunCheck(Check.BASELINE, Check.BASELINE.id(b.next()).orElseThrow()));
        b.condition(
            READY,
            false,
            Reasons.BASELINING,
            "measuring the GET rate before anything is written; the write waits for it");
        s.lookAgainAfter(VerificationJobs.SAFETY_RECHECK);
        return s.decision();
      }
      Verifications.recordBaseline(b, baseline.get(), s.spec.getRequestMetrics());
      return apply();
    }

    /** Writes the value and restarts what does not carry the hash yet, then follows the rollout. */
    private Decision apply() {
      boolean rollingBack = b.phase() == Phase.RollingBack;
      if ((needsWrite || needsRestart) && !recorded(rollingBack)) {
        return recordFirst(rollingBack);
      }
      if (needsWrite) {
        ValueReading found = b.secret().getCurrent();
        boolean repair = found.getState() != ValueState.Canonical;
        s.act(new Action.WriteFlag(wanted.value(), repair));
        String what =
            repair
                ? "repaired "
                    + location
                    + ": "
                    + found.getState()
                    + " value replaced by "
                    + wanted.value()
                : "wrote " + wanted.value() + " to " + location;
        if (repair) {
          s.normal("SecretRepaired", what);
        } else {
          s.normal("FlagWritten", what);
        }
        b.secret().setCurrent(reading(FlagReading.of(Optional.of(wanted.value()))));
      }
      // Labelled only once it holds a canonical value: the chart's admission policy refuses any
      // other value under the label, the operator's own writes included.
      s.act(new Action.Claim());
      b.condition(
          SECRET_SYNCED,
          true,
          needsWrite ? Reasons.WRITTEN : Reasons.IN_SYNC,
          location + " holds " + wanted.value());
      if (needsRestart) {
        s.act(new Action.Restart(wanted.hash()));
        Phase moving = rollingBack ? Phase.RollingBack : Phase.RollingOut;
        b.phase(
            moving,
            rollingBack ? Reasons.ROLLING_BACK : "Restarted",
            "restarting workloads for flag hash " + wanted.hash());
        b.condition(ROLLOUT_COMPLETE, false, "InProgress", "workloads are restarting");
        b.condition(
            READY,
            false,
            moving.name(),
            "workloads are restarting for suspend=" + wanted.suspend());
      }
      // Judged on what was read before the restart: what still has to restart is not complete,
      // so this waits (woken by the rollout's events); a restart that reaches nothing goes on.
      return rollout();
    }

    /**
     * Whether the status already written says this transition is applying its value: only then may
     * a reconcile change the world. A process killed after its write or restart but before its
     * status patch would otherwise leave no record of the value found before (no rollback, a
     * history without the repair) or of a baseline measured before the write.
     */
    private boolean recorded(boolean rollingBack) {
      Phase moving = rollingBack ? Phase.RollingBack : Phase.RollingOut;
      TransitionStatus written = b.previous().getTransition();
      return b.previous().getPhase() == moving
          && written != null
          && Objects.equals(written.getGeneration(), b.transition().getGeneration())
          && Objects.equals(written.getFlagHash(), wanted.hash());
    }

    /** Writes the transition down (phase, value before, baseline) and acts at once after. */
    private Decision recordFirst(boolean rollingBack) {
      Phase moving = rollingBack ? Phase.RollingBack : Phase.RollingOut;
      String what =
          (needsWrite ? "writing " + wanted.value() + " to " + location + ", then " : "")
              + "restarting workloads for flag hash "
              + wanted.hash();
      b.phase(moving, rollingBack ? Reasons.ROLLING_BACK : "Applying", what);
      b.condition(READY, false, moving.name(), what);
      s.lookAgainAfter(Duration.ZERO);
      return s.decision();
    }

    /**
     * Whether a stored value other than the wanted one is a change made by someone else: the
     * transition already wrote its value, or found it in place when it started. Otherwise the write
     * is simply still to be done (the transition was recorded before acting).
     */
    private boolean holdsItsValue() {
      ValueReading before = b.secret().getBefore();
      boolean foundInPlace =
          before != null
              && before.getState() == ValueState.Canonical
              && Objects.equals(before.getEffectiveSuspend(), wanted.suspend());
      var write = b.secret().getLastWrite();
      boolean written =
          write != null
              && wanted.value().equals(write.getValue())
              && !Instant.parse(write.getWrittenAt())
                  .isBefore(Instant.parse(b.transition().getStartedAt()));
      return foundInPlace || written;
    }

    private Decision rollout() {
      boolean rollingBack = b.phase() == Phase.RollingBack;
      List<WorkloadState> states = s.obs.workloads();
      Optional<WorkloadState> failed =
          states.stream().filter(w -> w.result() == WorkloadResult.Failed).findFirst();
      if (failed.isPresent()) {
        WorkloadState f = failed.get();
        return fail(Reasons.ROLLOUT_FAILED, f.kind() + " " + f.name() + ": " + f.message());
      }
      TransitionStatus t = b.transition();
      if (!states.stream().allMatch(WorkloadState::complete)) {
        // A pod lost while the change is verified is no restart of the change: the timeout counts
        // from the loss, or a regression late in a long verification would roll back at once.
        boolean regressed = b.phase() == Phase.Verifying;
        if (regressed && t.getRolloutRegressedAt() == null) {
          t.setRolloutRegressedAt(s.now().toString());
        }
        Instant start =
            t.getRolloutRegressedAt() != null
                ? Instant.parse(t.getRolloutRegressedAt())
                : rolloutStart(states);
        Duration timeout = Durations.parse(s.spec.getRollout().getTimeout());
        String waiting =
            states.stream()
                .filter(w -> !w.complete())
                .map(w -> w.kind() + " " + w.name() + ": " + w.message())
                .collect(Collectors.joining("; "));
        if (!s.now().isBefore(start.plus(timeout))) {
          return fail(
              Reasons.ROLLOUT_TIMED_OUT,
              "rollout not complete after " + Durations.format(timeout) + ": " + waiting);
        }
        Phase moving = rollingBack ? Phase.RollingBack : Phase.RollingOut;
        b.phase(
            moving,
            regressed
                ? Reasons.ROLLOUT_REGRESSED
                : rollingBack ? Reasons.ROLLING_BACK : "Restarted",
            waiting);
        b.condition(ROLLOUT_COMPLETE, false, "InProgress", waiting);
        b.condition(READY, false, moving.name(), waiting);
        s.lookAgainAt(start.plus(timeout));
        s.obs.pollInterval().ifPresent(s::lookAgainAfter);
        return s.decision();
      }
      b.condition(
          ROLLOUT_COMPLETE,
          true,
          "Complete",
          "every workload runs the pods restarted for this change");
      if (!rollingBack && b.phase() != Phase.Verifying) {
        b.phase(Phase.Verifying, "RolloutComplete", "rolled out; verifying the change");
      }
      t.setRolloutRegressedAt(null);
      if (t.getVerifyingSince() == null) {
        t.setVerifyingSince(s.now().toString());
      }
      return new Verifications(s, this::fail, this::settle, this::rolledBack).verify(rollingBack);
    }

    /** Suspended, Active or Ineffective: repair drift, restart new workloads, keep watching. */
    private Decision settledPhase() {
      if (needsWrite) {
        return drift(needsRestart ? this::restartAgain : this::repairInPlace);
      }
      if (needsRestart) {
        return restartAgain();
      }
      return new Verifications(s, this::fail, this::settle, this::rolledBack).watch();
    }

    /**
     * A workload the change has not reached (new under the selector, its template rolled back by
     * hand, a Fly machine behind the latest secrets version): restart it and verify again.
     */
    private Decision restartAgain() {
      b.phase(Phase.RollingOut, "WorkloadNotRestarted", "a workload does not run the change yet");
      Verifications.resetHealth(b);
      return apply();
    }

    /**
     * The key no longer holds the applied value although this transition wrote it: someone else
     * changed it. The first time it is repaired; if the same happens again within {@link
     * #CONTEST_WINDOW} of a repair, the key is contested: the operator stops rewriting it (no write
     * loop with a GitOps controller's self-heal), says who the other writer is, and repairs once
     * more only after that writer has been quiet for a window, or when the spec changes.
     */
    private Decision drift(java.util.function.Supplier<Decision> repair) {
      FlagReading flag = s.obs.flag();
      Optional<FlagReading.Writer> writer = flag.writer();
      if (writer.map(w -> w.fieldManager().equals(ApiConstants.FIELD_MANAGER)).orElse(false)) {
        return repair.get(); // the operator's own earlier value (a rollback restores it)
      }
      String who =
          writer
              .map(w -> "field manager " + w.fieldManager())
              .orElse("another writer (the store does not say who)");
      Instant at =
          writer
              .map(FlagReading.Writer::at)
              .or(
                  () ->
                      flag.version()
                          .map(v -> v.updatedAt())
                          .filter(Objects::nonNull)
                          .map(Instant::parse))
              .orElse(s.now());
      var secret = b.secret();
      Instant lastRepair =
          secret.getLastRepairAt() == null ? null : Instant.parse(secret.getLastRepairAt());
      // managedFields times have whole seconds: a write in the second of the repair is after it.
      boolean again =
          lastRepair != null
              && !at.isBefore(lastRepair.truncatedTo(ChronoUnit.SECONDS))
              && at.isBefore(lastRepair.plus(CONTEST_WINDOW));
      Instant resumesAt = at.plus(CONTEST_WINDOW);
      if (again && s.now().isBefore(resumesAt)) {
        ContestStatus previous = secret.getContest();
        ContestStatus contest = new ContestStatus();
        contest.setFieldManager(writer.map(FlagReading.Writer::fieldManager).orElse(null));
        contest.setWrittenAt(at.toString());
        contest.setRepairedAt(lastRepair.toString());
        contest.setResumesAt(resumesAt.toString());
        secret.setContest(contest);
        String message =
            location
                + " was rewritten by "
                + who
                + " at "
                + at
                + ", after the operator had repaired it at "
                + lastRepair
                + "; not rewriting it while that writer keeps changing it (repairing once more at "
                + resumesAt
                + " if it has stopped by then, or at once when the spec changes)";
        b.condition(SECRET_SYNCED, false, Reasons.CONTESTED, message);
        b.condition(READY, false, Reasons.CONTESTED, message);
        if (previous == null || !at.toString().equals(previous.getWrittenAt())) {
          s.warning(Reasons.CONTESTED, message);
        }
        s.lookAgainAt(resumesAt);
        return s.decision();
      }
      secret.setContest(null);
      secret.setLastRepairAt(s.now().toString());
      s.normal(
          "DriftRepaired",
          location
              + " was changed by "
              + who
              + " at "
              + at
              + "; writing "
              + wanted.value()
              + " back");
      return repair.get();
    }

    /** A repair in an applied phase: the value goes back; the phase and its verdict stay. */
    private Decision repairInPlace() {
      s.act(new Action.WriteFlag(wanted.value(), true));
      s.act(new Action.Claim());
      b.secret().setCurrent(reading(FlagReading.of(Optional.of(wanted.value()))));
      b.condition(SECRET_SYNCED, true, Reasons.WRITTEN, location + " holds " + wanted.value());
      // A target without events (Fly) shows what the write means for its workloads (machines to
      // roll to the new secrets version) only when looked at again.
      s.obs.pollInterval().ifPresent(s::lookAgainAfter);
      boolean verified =
          b.condition(io.cachemode.operator.api.Conditions.VERIFIED)
              .map(c -> "True".equals(c.getStatus()))
              .orElse(false);
      return b.phase() == Phase.Ineffective ? s.decision() : settle(verified);
    }

    /** Ends the transition in its applied phase: verified, or nothing configured to verify. */
    private Decision settle(boolean verified) {
      boolean suspended = wanted.suspend();
      Phase end = suspended ? Phase.Suspended : Phase.Active;
      b.next().setAppliedSuspend(suspended);
      b.next().setAppliedValueHash(wanted.hash());
      String what = "the app runs with suspend=" + suspended;
      b.phase(end, verified ? Reasons.VERIFIED : Reasons.APPLIED_UNVERIFIED, what);
      if (verified) {
        b.condition(READY, true, end.name(), what + " and passed verification");
      } else {
        b.condition(
            READY,
            true,
            Reasons.APPLIED_UNVERIFIED,
            what
                + "; nothing was verified (no health checks, log checks or request metrics are"
                + " configured)");
      }
      return s.decision();
    }

    private Decision rolledBack() {
      String cause =
          b.next().getHistory().stream()
              .filter(h -> h.getTo() == Phase.RollingBack)
              .reduce((x, y) -> y)
              .map(h -> h.getReason() + ": " + h.getMessage())
              .orElse("unknown cause");
      b.phase(Phase.RolledBack, Reasons.ROLLED_BACK, "previous value restored after " + cause);
      b.condition(
          READY,
          false,
          Reasons.ROLLED_BACK,
          "the change was rolled back after " + cause + "; edit the spec to retry");
      return s.decision();
    }

    /** A failed rollout or health check: roll back when allowed and possible, else Failed. */
    private Decision fail(String reason, String message) {
      boolean rollingBack = b.phase() == Phase.RollingBack;
      ValueReading before = b.secret().getBefore();
      Boolean restore = before == null ? null : before.getEffectiveSuspend();
      boolean canRollBack =
          !rollingBack
              && Boolean.TRUE.equals(s.spec.getRollbackOnFailure())
              && restore != null
              && restore != wanted.suspend();
      if (canRollBack) {
        TransitionStatus t = b.transition();
        t.setSuspend(restore);
        t.setFlagHash(location.flagHash(FlagValues.canonical(restore)));
        t.setVerifyingSince(null);
        t.setRolloutRegressedAt(null);
        t.setAttempt(0);
        t.setNextAttemptAt(null);
        // Verified keeps saying why the change failed; health is checked again for the rollback.
        Verifications.resetHealth(b);
        b.phase(Phase.RollingBack, reason, message);
        b.condition(READY, false, Reasons.ROLLING_BACK, reason + ": " + message);
        s.lookAgainAfter(Duration.ZERO);
        return s.decision();
      }
      String why = rollingBack ? Reasons.ROLLBACK_FAILED : reason;
      String unknownBefore =
          !rollingBack && restore == null && Boolean.TRUE.equals(s.spec.getRollbackOnFailure())
              ? "; not rolled back: the value before the change is unknown"
              : "";
      b.phase(Phase.Failed, why, message + unknownBefore);
      b.condition(READY, false, why, message + unknownBefore + "; edit the spec to retry");
      return s.decision();
    }

    private Decision blocked(String reason, String message) {
      b.condition(SPEC_VALID, false, reason, message);
      b.condition(READY, false, reason, message);
      TransitionStatus t = b.transition();
      boolean transitionOfThisSpec =
          t != null && Objects.equals(t.getGeneration(), s.cm.getMetadata().getGeneration());
      if (b.phase() == null || !transitionOfThisSpec) {
        b.phase(Phase.Pending, reason, message);
      }
      boolean repeated =
          b.previous().getConditions().stream()
              .anyMatch(
                  c ->
                      c.getType().equals(SPEC_VALID)
                          && Objects.equals(c.getReason(), reason)
                          && Objects.equals(c.getMessage(), message));
      if (!repeated) {
        s.warning(reason, message);
      }
      s.lookAgainAfter(RECHECK);
      return s.decision();
    }

    private Decision plan(ValueReading current) {
      List<String> planned = new ArrayList<>();
      if (needsWrite) {
        planned.add(
            "write " + wanted.value() + " to " + location + " (now " + current.getState() + ")");
      }
      s.obs.workloads().stream()
          .filter(w -> !wanted.hash().equals(w.flagHash()))
          .forEach(w -> planned.add("restart " + w.kind() + " " + w.name() + " (rolling)"));
      b.next().setPlannedChanges(planned);
      b.phase(
          Phase.Planned,
          Reasons.DRY_RUN,
          planned.isEmpty() ? "nothing to change" : String.join("; ", planned));
      b.condition(
          READY, false, Reasons.DRY_RUN, "dry run: nothing was written; see status.plannedChanges");
      return s.decision();
    }

    private void specValid() {
      List<String> unread =
          s.obs.flagUse().entrySet().stream()
              .filter(e -> FlagUse.NOT_REFERENCED.equals(e.getValue()))
              .map(e -> e.getKey())
              .sorted()
              .toList();
      if (unread.isEmpty()) {
        b.condition(
            SPEC_VALID, true, Reasons.VALID, "all references resolved; the flag is " + location);
        return;
      }
      String message =
          String.join(", ", unread)
              + " does not reference "
              + location
              + " (no envFrom, env secretKeyRef or volume of it in any container): a restart changes"
              + " nothing unless the app reads the flag another way";
      boolean repeated =
          b.previous().getConditions().stream()
              .anyMatch(c -> c.getType().equals(SPEC_VALID) && message.equals(c.getMessage()));
      if (!repeated) {
        s.warning(Reasons.WORKLOAD_DOES_NOT_READ_FLAG, message);
      }
      b.condition(SPEC_VALID, true, Reasons.WORKLOAD_DOES_NOT_READ_FLAG, message);
    }

    private ValueReading recordReading() {
      ValueReading current = reading(s.obs.flag());
      var secret = b.secret();
      secret.setName(location.name());
      secret.setKey(location.key());
      secret.setCurrent(sameReading(secret.getCurrent(), current) ? secret.getCurrent() : current);
      var rule = s.spec.getParseRule();
      ValueReading before = secret.getBefore();
      if (current.getState() == ValueState.Unknown) {
        b.unknown(SECRET_VALUE_VALID, "ValueUnknown", current.getNote());
      } else if (current.getState() == ValueState.Canonical
          && before != null
          && before.getState() != ValueState.Canonical
          && before.getState() != ValueState.Unknown) {
        b.condition(
            SECRET_VALUE_VALID,
            true,
            "Repaired",
            "repaired; when read at "
                + before.getObservedAt()
                + ", "
                + FlagValues.describe(before.getState(), rule, before.getEffectiveSuspend()));
      } else if (current.getState() == ValueState.Canonical) {
        b.condition(
            SECRET_VALUE_VALID,
            true,
            "Canonical",
            FlagValues.describe(current.getState(), rule, current.getEffectiveSuspend()));
      } else {
        b.condition(
            SECRET_VALUE_VALID,
            false,
            reasonFor(current.getState()),
            FlagValues.describe(current.getState(), rule, current.getEffectiveSuspend())
                + "; it will be set to "
                + FlagValues.canonical(s.spec.getSuspend()));
      }
      return current;
    }

    private ValueReading reading(FlagReading flag) {
      Optional<String> raw = flag.value();
      ValueReading r = new ValueReading();
      r.setState(flag.known() ? FlagValues.classify(raw) : ValueState.Unknown);
      r.setEffectiveSuspend(
          flag.known() ? FlagValues.effectiveSuspend(s.spec.getParseRule(), raw) : null);
      r.setValueHash(
          raw.map(v -> FlagHashes.valueHash(s.cm.getMetadata().getUid(), v)).orElse(null));
      r.setObservedAt(s.now().toString());
      flag.version()
          .ifPresent(
              v -> {
                r.setDigest(v.digest());
                r.setUpdatedAt(v.updatedAt());
              });
      r.setNote(flag.note().orElse(null));
      return r;
    }

    /** The earliest restart for this change; a workload still to be restarted starts it now. */
    private Instant rolloutStart(List<WorkloadState> states) {
      return states.stream()
          .filter(w -> wanted.hash().equals(w.flagHash()))
          .map(WorkloadState::restartedAt)
          .filter(Objects::nonNull)
          .map(Instant::parse)
          .min(Instant::compareTo)
          .orElse(s.now());
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
        && Objects.equals(a.getValueHash(), b.getValueHash())
        && Objects.equals(a.getDigest(), b.getDigest())
        && Objects.equals(a.getUpdatedAt(), b.getUpdatedAt())
        && Objects.equals(a.getNote(), b.getNote());
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
}
