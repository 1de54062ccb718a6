package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Outcome of one health check. */
public class HealthCheckStatus {

  @JsonPropertyDescription("The check's name from spec.healthChecks.")
  private String name;

  @JsonPropertyDescription("Passed, Failed or Inconclusive.")
  private CheckResult result;

  @JsonPropertyDescription("HTTP status of the last attempt, when a response arrived.")
  private Integer httpStatus;

  @JsonPropertyDescription("Latency of the last attempt in milliseconds.")
  private Long latencyMillis;

  @JsonPropertyDescription("Attempts made.")
  private Integer attempts;

  @JsonPropertyDescription("When the last attempt finished (RFC 3339).")
  private String checkedAt;

  @JsonPropertyDescription("What differed from the expectation, or how the request failed.")
  private String message;

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

  public Integer getHttpStatus() {
    return httpStatus;
  }

  public void setHttpStatus(Integer httpStatus) {
    this.httpStatus = httpStatus;
  }

  public Long getLatencyMillis() {
    return latencyMillis;
  }

  public void setLatencyMillis(Long latencyMillis) {
    this.latencyMillis = latencyMillis;
  }

  public Integer getAttempts() {
    return attempts;
  }

  public void setAttempts(Integer attempts) {
    this.attempts = attempts;
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
}
