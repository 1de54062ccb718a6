package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One GET-rate sample taken while watching after the verdict. */
public class RequestSample {

  @JsonPropertyDescription("When the sample ended (RFC 3339).")
  private String time;

  @JsonPropertyDescription(
      "GET requests per minute over the sample; absent when none could be measured.")
  private Double perMinute;

  @JsonPropertyDescription("Why no rate was measured, or what the sample showed.")
  private String message;

  public String getTime() {
    return time;
  }

  public void setTime(String time) {
    this.time = time;
  }

  public Double getPerMinute() {
    return perMinute;
  }

  public void setPerMinute(Double perMinute) {
    this.perMinute = perMinute;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }
}
