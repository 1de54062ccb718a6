package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The change in progress (or last made): what it applies and where its verification stands. */
public class TransitionStatus {

  @JsonPropertyDescription(
      "The spec generation this transition applies. observedGeneration keeps its Kubernetes "
          + "meaning (the newest generation the operator has seen); a transition that ended "
          + "RolledBack or Failed is retried when the spec generation moves past this one.")
  private Long generation;

  @JsonPropertyDescription(
      "The value this transition applies (for a rollback: the value restored).")
  private Boolean suspend;

  @JsonPropertyDescription(
      "Hash of the flag location and the value, set on restarted pod templates.")
  private String flagHash;

  @JsonPropertyDescription("When the transition started (RFC 3339).")
  private String startedAt;

  @JsonPropertyDescription(
      "When the rollout completed and verification began; spec.verification.deadline counts "
          + "from here.")
  private String verifyingSince;

  @JsonPropertyDescription(
      "Verification attempts so far; an inconclusive result is retried with backoff.")
  private Integer attempt;

  @JsonPropertyDescription("When an inconclusive verification is tried again (RFC 3339).")
  private String nextAttemptAt;

  @JsonPropertyDescription(
      "When a rollout that had completed stopped being complete during verification (a pod "
          + "lost, a node gone; RFC 3339). spec.rollout.timeout counts again from here, so a "
          + "late regression gets time to recover before it counts as a failed rollout.")
  private String rolloutRegressedAt;

  public Long getGeneration() {
    return generation;
  }

  public void setGeneration(Long generation) {
    this.generation = generation;
  }

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }

  public String getFlagHash() {
    return flagHash;
  }

  public void setFlagHash(String flagHash) {
    this.flagHash = flagHash;
  }

  public String getStartedAt() {
    return startedAt;
  }

  public void setStartedAt(String startedAt) {
    this.startedAt = startedAt;
  }

  public String getVerifyingSince() {
    return verifyingSince;
  }

  public void setVerifyingSince(String verifyingSince) {
    this.verifyingSince = verifyingSince;
  }

  public Integer getAttempt() {
    return attempt;
  }

  public void setAttempt(Integer attempt) {
    this.attempt = attempt;
  }

  public String getNextAttemptAt() {
    return nextAttemptAt;
  }

  public void setNextAttemptAt(String nextAttemptAt) {
    this.nextAttemptAt = nextAttemptAt;
  }

  public String getRolloutRegressedAt() {
    return rolloutRegressedAt;
  }

  public void setRolloutRegressedAt(String rolloutRegressedAt) {
    this.rolloutRegressedAt = rolloutRegressedAt;
  }
}
