package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * What the request meter captured when the after-rollout window opened, kept in status so that a
 * new leader or a restarted operator finishes the same window instead of opening a new one.
 */
public class WindowStartStatus {

  @JsonPropertyDescription("When the window opened (RFC 3339).")
  private String at;

  @JsonPropertyDescription(
      "How GETs are counted in this window (CommandStats, Monitor or Keyspace for Redis); the after-rate uses"
          + " the same method.")
  private String method;

  @JsonPropertyDescription(
      "The lifetime counter at the start (cmdstat_get calls, or keyspace hits + misses); absent for methods"
          + " without one.")
  private Long counter;

  @JsonPropertyDescription(
      "The server's uptime at the start, to detect a restart during the window.")
  private Long uptimeSeconds;

  @JsonPropertyDescription(
      "Set when nothing could be captured: why (Unreachable, Unauthorized, Unsupported, ...).")
  private String failureKind;

  @JsonPropertyDescription("With failureKind: what happened. Never a secret.")
  private String failureMessage;

  public String getAt() {
    return at;
  }

  public void setAt(String at) {
    this.at = at;
  }

  public String getMethod() {
    return method;
  }

  public void setMethod(String method) {
    this.method = method;
  }

  public Long getCounter() {
    return counter;
  }

  public void setCounter(Long counter) {
    this.counter = counter;
  }

  public Long getUptimeSeconds() {
    return uptimeSeconds;
  }

  public void setUptimeSeconds(Long uptimeSeconds) {
    this.uptimeSeconds = uptimeSeconds;
  }

  public String getFailureKind() {
    return failureKind;
  }

  public void setFailureKind(String failureKind) {
    this.failureKind = failureKind;
  }

  public String getFailureMessage() {
    return failureMessage;
  }

  public void setFailureMessage(String failureMessage) {
    this.failureMessage = failureMessage;
  }
}
