package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One workload restarted for the change. */
public class WorkloadStatus {

  @JsonPropertyDescription("Deployment, StatefulSet, or Machine (Fly.io).")
  private String kind;

  @JsonPropertyDescription("Workload name.")
  private String name;

  @JsonPropertyDescription("The cachemode.io/flag-hash on its pod template.")
  private String flagHash;

  @JsonPropertyDescription("When the operator restarted it (RFC 3339).")
  private String restartedAt;

  @JsonPropertyDescription("The workload's status.observedGeneration at the last look.")
  private Long observedGeneration;

  @JsonPropertyDescription("Desired replicas.")
  private Integer replicas;

  @JsonPropertyDescription("Replicas running the restarted pod template.")
  private Integer updatedReplicas;

  @JsonPropertyDescription("Ready replicas.")
  private Integer readyReplicas;

  @JsonPropertyDescription(
      "Pending, RollingOut, Complete, Failed, TimedOut, or Skipped (cannot be updated now, e.g. a Fly"
          + " machine whose host is unreachable; the rollout does not wait for it).")
  private WorkloadResult result;

  @JsonPropertyDescription("Why the rollout is not complete, when it is not.")
  private String message;

  @JsonPropertyDescription(
      "How the pod template reads the flag key: envFrom of the Secret, env with "
          + "secretKeyRef, a volume of the Secret, or NotReferenced (a restart may then change "
          + "nothing).")
  private String flagUse;

  public String getKind() {
    return kind;
  }

  public void setKind(String kind) {
    this.kind = kind;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getFlagHash() {
    return flagHash;
  }

  public void setFlagHash(String flagHash) {
    this.flagHash = flagHash;
  }

  public String getRestartedAt() {
    return restartedAt;
  }

  public void setRestartedAt(String restartedAt) {
    this.restartedAt = restartedAt;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public Integer getUpdatedReplicas() {
    return updatedReplicas;
  }

  public void setUpdatedReplicas(Integer updatedReplicas) {
    this.updatedReplicas = updatedReplicas;
  }

  public Integer getReadyReplicas() {
    return readyReplicas;
  }

  public void setReadyReplicas(Integer readyReplicas) {
    this.readyReplicas = readyReplicas;
  }

  public WorkloadResult getResult() {
    return result;
  }

  public void setResult(WorkloadResult result) {
    this.result = result;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getFlagUse() {
    return flagUse;
  }

  public void setFlagUse(String flagUse) {
    this.flagUse = flagUse;
  }
}
