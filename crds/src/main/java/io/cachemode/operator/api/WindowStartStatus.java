package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Where the current observation window started, so a new leader or a restarted operator continues
 * it rather than starting over.
 */
public class WindowStartStatus {

  @JsonPropertyDescription("When the window opened (RFC 3339).")
  private String at;

  @JsonPropertyDescription("The GET counter at that moment, for counter-based methods.")
  private Long counter;

  @JsonPropertyDescription(
      "The server uptime at that moment, to detect a restart during the window.")
  private Long uptimeSeconds;

  public String getAt() {
    return at;
  }

  public void setAt(String at) {
    this.at = at;
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
}
