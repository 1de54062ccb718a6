package io.cachemode.operator.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.CacheModeStatus;
import io.cachemode.operator.api.Phase;
import io.cachemode.operator.audit.History;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The status a reconcile writes, built from the previous one: conditions keep their
 * lastTransitionTime unless their status flips, and each phase change is appended to the bounded
 * history. One instance per reconcile.
 */
final class StatusUpdate {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final CacheMode cm;
  private final Clock clock;
  private final CacheModeStatus previous;
  private final CacheModeStatus next;
  private final List<PhaseChange> phaseChanges = new ArrayList<>();

  /** A phase change made during this reconcile, for events and metrics. */
  record PhaseChange(Phase from, Phase to, String reason, String message) {}

  StatusUpdate(CacheMode cm, Clock clock) {
    this.cm = cm;
    this.clock = clock;
    this.previous = Optional.ofNullable(cm.getStatus()).orElseGet(CacheModeStatus::new);
    this.next = MAPPER.convertValue(previous, CacheModeStatus.class);
    next.setObservedGeneration(cm.getMetadata().getGeneration());
  }

  /**
   * Leaves the status as it was (not even observedGeneration moves), for a reconcile that decided
   * to wait.
   */
  void keepPrevious() {
    next.setObservedGeneration(previous.getObservedGeneration());
  }

  CacheModeStatus previous() {
    return previous;
  }

  CacheModeStatus next() {
    return next;
  }

  /** Whether the previous status described this same generation of the spec. */
  boolean sameGeneration() {
    return Objects.equals(previous.getObservedGeneration(), cm.getMetadata().getGeneration());
  }

  Phase phase() {
    return next.getPhase();
  }

  void phase(Phase to, String reason, String message) {
    Phase from = next.getPhase();
    if (from == to) {
      return;
    }
    next.setPhase(to);
    int limit = Optional.ofNullable(cm.getSpec().getHistoryLimit()).orElse(20);
    next.setHistory(
        History.append(
            next.getHistory(),
            limit,
            clock.instant(),
            cm.getMetadata().getGeneration(),
            from,
            to,
            reason,
            message));
    phaseChanges.add(new PhaseChange(from, to, reason, message));
  }

  List<PhaseChange> phaseChanges() {
    return phaseChanges;
  }

  void condition(String type, boolean status, String reason, String message) {
    condition(type, status ? "True" : "False", reason, message);
  }

  void conditionUnknown(String type, String reason, String message) {
    condition(type, "Unknown", reason, message);
  }

  /**
   * Removes a condition that no longer applies, e.g. RequestsReduced when no request metrics are
   * configured.
   */
  void clearCondition(String type) {
    next.getConditions().removeIf(c -> c.getType().equals(type));
  }

  Optional<Condition> condition(String type) {
    return next.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst();
  }

  private void condition(String type, String status, String reason, String message) {
    List<Condition> conditions = next.getConditions();
    Optional<Condition> old = condition(type);
    String since =
        old.filter(c -> c.getStatus().equals(status))
            .map(Condition::getLastTransitionTime)
            .orElse(clock.instant().toString());
    Condition c =
        new ConditionBuilder()
            .withType(type)
            .withStatus(status)
            .withReason(reason)
            .withMessage(message)
            .withLastTransitionTime(since)
            .withObservedGeneration(cm.getMetadata().getGeneration())
            .build();
    old.ifPresentOrElse(o -> conditions.set(conditions.indexOf(o), c), () -> conditions.add(c));
  }

  /** Whether anything a reader can see differs from the previous status. */
  boolean changed() {
    return !MAPPER.valueToTree(previous).equals(MAPPER.valueToTree(next));
  }
}
