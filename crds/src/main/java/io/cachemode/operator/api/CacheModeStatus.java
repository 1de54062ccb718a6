package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the operator observed and did; nothing in it is secret. */
public class CacheModeStatus {

  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Where the change stands: Pending, Planned, RollingOut, Verifying, Suspended, Active, "
          + "RollingBack, RolledBack or Failed.")
  private Phase phase;

  @JsonPropertyDescription("The flag value the operator last applied and saw roll out.")
  private Boolean appliedSuspend;

  @JsonPropertyDescription(
      "Hash of the applied canonical value, as on the workloads' cachemode.io/flag-hash "
          + "annotation.")
  private String appliedValueHash;

  @JsonPropertyDescription(
      "Summary of the health checks of the last change: Passed, Failed or Inconclusive.")
  private CheckResult health;

  @JsonPropertyDescription(
      "SpecValid, SecretValueValid, SecretSynced, RolloutComplete, Healthy, RequestsReduced "
          + "and Ready.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription(
      "The flag as stored: its classification and how the app reads it, before the change "
          + "and now. Never the value.")
  private SecretStatus secret;

  @JsonPropertyDescription("Each restarted workload and its rollout.")
  private List<WorkloadStatus> workloads = new ArrayList<>();

  @JsonPropertyDescription("Outcome of each health check after the last rollout.")
  private List<HealthCheckStatus> healthChecks = new ArrayList<>();

  @JsonPropertyDescription("Outcome of each log check after the last rollout.")
  private List<LogCheckStatus> logChecks = new ArrayList<>();

  @JsonPropertyDescription("Redis GET-request rate before the change and after the rollout.")
  private RequestsStatus requests;

  @JsonPropertyDescription("With dryRun: the writes and restarts a real run would make.")
  private List<String> plannedChanges = new ArrayList<>();

  @JsonPropertyDescription("Recent phase transitions, newest last, at most spec.historyLimit.")
  private List<HistoryEntry> history = new ArrayList<>();

  @JsonPropertyDescription("The change in progress, or the last one made.")
  private TransitionStatus transition;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public Phase getPhase() {
    return phase;
  }

  public void setPhase(Phase phase) {
    this.phase = phase;
  }

  public Boolean getAppliedSuspend() {
    return appliedSuspend;
  }

  public void setAppliedSuspend(Boolean appliedSuspend) {
    this.appliedSuspend = appliedSuspend;
  }

  public String getAppliedValueHash() {
    return appliedValueHash;
  }

  public void setAppliedValueHash(String appliedValueHash) {
    this.appliedValueHash = appliedValueHash;
  }

  public CheckResult getHealth() {
    return health;
  }

  public void setHealth(CheckResult health) {
    this.health = health;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public SecretStatus getSecret() {
    return secret;
  }

  public void setSecret(SecretStatus secret) {
    this.secret = secret;
  }

  public List<WorkloadStatus> getWorkloads() {
    return workloads;
  }

  public void setWorkloads(List<WorkloadStatus> workloads) {
    this.workloads = workloads;
  }

  public List<HealthCheckStatus> getHealthChecks() {
    return healthChecks;
  }

  public void setHealthChecks(List<HealthCheckStatus> healthChecks) {
    this.healthChecks = healthChecks;
  }

  public List<LogCheckStatus> getLogChecks() {
    return logChecks;
  }

  public void setLogChecks(List<LogCheckStatus> logChecks) {
    this.logChecks = logChecks;
  }

  public RequestsStatus getRequests() {
    return requests;
  }

  public void setRequests(RequestsStatus requests) {
    this.requests = requests;
  }

  public List<String> getPlannedChanges() {
    return plannedChanges;
  }

  public void setPlannedChanges(List<String> plannedChanges) {
    this.plannedChanges = plannedChanges;
  }

  public List<HistoryEntry> getHistory() {
    return history;
  }

  public void setHistory(List<HistoryEntry> history) {
    this.history = history;
  }

  public TransitionStatus getTransition() {
    return transition;
  }

  public void setTransition(TransitionStatus transition) {
    this.transition = transition;
  }
}
