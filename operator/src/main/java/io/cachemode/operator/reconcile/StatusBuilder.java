package io.cachemode.operator.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.CacheModeStatus;
import io.cachemode.operator.api.Phase;
import io.cachemode.operator.api.SecretStatus;
import io.cachemode.operator.api.TransitionStatus;
import io.cachemode.operator.api.WorkloadStatus;
import io.cachemode.operator.api.WriteRecord;
import io.cachemode.operator.audit.History;
import io.cachemode.operator.targets.WorkloadState;
import io.cachemode.operator.targets.WriteReceipt;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The only writer of a CacheMode's status. It starts from a copy of the previous status, so
 * whatever a reconcile does not touch stays as it was; conditions keep their lastTransitionTime
 * unless their status flips, and each phase change is appended to the bounded history.
 *
 * <p>The phase machine uses it to build the next status (a pure computation), and the reconciler
 * then records what the actions returned (the write receipt, the workloads after a restart).
 */
final class StatusBuilder {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final CacheMode cm;
  private final Instant now;
  private final CacheModeStatus previous;
  private final CacheModeStatus next;
  private final List<PhaseChange> phaseChanges = new ArrayList<>();

  /** A phase change made during this reconcile, for events and metrics. */
  record PhaseChange(Phase from, Phase to, String reason, String message) {}

  private StatusBuilder(CacheMode cm, Instant now, CacheModeStatus previous) {
    this.cm = cm;
    this.now = now;
    this.previous = previous;
    this.next = MAPPER.convertValue(previous, CacheModeStatus.class);
  }

  /** A builder seeded with {@code cm}'s current status (or an empty one). */
  static StatusBuilder from(CacheMode cm, Instant now) {
    return new StatusBuilder(
        cm, now, Optional.ofNullable(cm.getStatus()).orElseGet(CacheModeStatus::new));
  }

  CacheModeStatus previous() {
    return previous;
  }

  /** The status being built; callers set sub-records here, and nowhere else. */
  CacheModeStatus next() {
    return next;
  }

  Instant now() {
    return now;
  }

  /** Records that the operator has seen this generation of the spec (its Kubernetes meaning). */
  void observed() {
    next.setObservedGeneration(cm.getMetadata().getGeneration());
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
            now,
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

  TransitionStatus transition() {
    return next.getTransition();
  }

  SecretStatus secret() {
    if (next.getSecret() == null) {
      next.setSecret(new SecretStatus());
    }
    return next.getSecret();
  }

  void condition(String type, boolean status, String reason, String message) {
    condition(type, status ? "True" : "False", reason, message);
  }

  void unknown(String type, String reason, String message) {
    condition(type, "Unknown", reason, message);
  }

  /** Removes a condition that no longer applies. */
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
            .orElse(now.toString());
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

  /** Workload rollout states as status shows them, with how each reads the flag. */
  void workloads(List<WorkloadState> states, Map<String, String> flagUse) {
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
      w.setFlagUse(flagUse.get(s.kind() + " " + s.name()));
      out.add(w);
    }
    next.setWorkloads(out);
  }

  /** What a write returned: the store's record of it, kept because Fly never returns values. */
  private void written(WriteReceipt receipt) {
    WriteRecord w = new WriteRecord();
    w.setValue(receipt.value());
    w.setWrittenAt(receipt.writtenAt());
    w.setDigest(receipt.version().digest());
    w.setUpdatedAt(receipt.version().updatedAt());
    w.setSecretsVersion(receipt.version().secretsVersion());
    secret().setLastWrite(w);
  }

  /** Records what the actions returned. */
  void record(Executor.Results results) {
    results.written().ifPresent(this::written);
    results.afterRestart().ifPresent(states -> workloads(states, workloadFlagUse()));
  }

  private Map<String, String> workloadFlagUse() {
    Map<String, String> use = new java.util.HashMap<>();
    next.getWorkloads().forEach(w -> use.put(w.getKind() + " " + w.getName(), w.getFlagUse()));
    return use;
  }

  /** Whether anything a reader can see differs from the previous status. */
  boolean changed() {
    return !MAPPER.valueToTree(previous).equals(MAPPER.valueToTree(next));
  }

  /** The status after an unexpected error: only Ready says so; nothing the machine reads moves. */
  static CacheModeStatus error(CacheMode cm, Instant now, String message) {
    StatusBuilder b = from(cm, now);
    b.unknown(
        io.cachemode.operator.api.Conditions.READY,
        io.cachemode.operator.api.Reasons.RECONCILE_ERROR,
        message + " (retrying)");
    return b.next();
  }

  static boolean sameValue(Object a, Object b) {
    return Objects.equals(MAPPER.valueToTree(a), MAPPER.valueToTree(b));
  }
}
