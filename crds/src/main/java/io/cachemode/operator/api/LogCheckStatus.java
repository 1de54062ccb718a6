package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Outcome of one log check over the pods the last restart created. */
public class LogCheckStatus {

  @JsonPropertyDescription("The check's name from spec.logChecks.")
  private String name;

  @JsonPropertyDescription(
      "Passed (every pod logged the line in time), Failed (a pod did not) or Inconclusive (not decided yet, or"
          + " the logs could not be read).")
  private CheckResult result;

  @JsonPropertyDescription("Pods that logged the line within the check's window.")
  private Integer podsMatched;

  @JsonPropertyDescription("Pods of the workloads' current revision that were checked.")
  private Integer podsSeen;

  @JsonPropertyDescription(
      "When the first pod logged the line (RFC 3339, from the log timestamps).")
  private String firstMatchAt;

  @JsonPropertyDescription("When the logs were read (RFC 3339).")
  private String checkedAt;

  @JsonPropertyDescription(
      "What was found, naming pods and the expected substring; never a log line.")
  private String message;

  @JsonPropertyDescription(
      "While Inconclusive only because some pod is still within its window: when the check is rea"
          + "d again (RFC 3339).")
  private String retryAt;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public CheckResult getResult() {
    return result;
  }

  public void setResult(CheckResult result) {
    this.result = result;
  }

  public Integer getPodsMatched() {
    return podsMatched;
  }

  public void setPodsMatched(Integer podsMatched) {
    this.podsMatched = podsMatched;
  }

  public Integer getPodsSeen() {
    return podsSeen;
  }

  public void setPodsSeen(Integer podsSeen) {
    this.podsSeen = podsSeen;
  }

  public String getFirstMatchAt() {
    return firstMatchAt;
  }

  public void setFirstMatchAt(String firstMatchAt) {
    this.firstMatchAt = firstMatchAt;
  }

  public String getCheckedAt() {
    return checkedAt;
  }

  public void setCheckedAt(String checkedAt) {
    this.checkedAt = checkedAt;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getRetryAt() {
    return retryAt;
  }

  public void setRetryAt(String retryAt) {
    this.retryAt = retryAt;
  }
}
