package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One phase transition. */
public class HistoryEntry {

  @JsonPropertyDescription("When it happened (RFC 3339).")
  private String time;

  @JsonPropertyDescription("The CacheMode generation being worked on.")
  private Long generation;

  @JsonPropertyDescription("Phase before.")
  private Phase from;

  @JsonPropertyDescription("Phase after.")
  private Phase to;

  @JsonPropertyDescription("CamelCase reason.")
  private String reason;

  @JsonPropertyDescription("What happened.")
  private String message;

  public String getTime() {
    return time;
  }

  public void setTime(String time) {
    this.time = time;
  }

  public Long getGeneration() {
    return generation;
  }

  public void setGeneration(Long generation) {
    this.generation = generation;
  }

  public Phase getFrom() {
    return from;
  }

  public void setFrom(Phase from) {
    this.from = from;
  }

  public Phase getTo() {
    return to;
  }

  public void setTo(Phase to) {
    this.to = to;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }
}
