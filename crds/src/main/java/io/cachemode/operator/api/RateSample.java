package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One measured request rate. */
public class RateSample {

  @JsonPropertyDescription("GET requests per minute.")
  private Double perMinute;

  @JsonPropertyDescription("The span the rate covers, e.g. 5m.")
  private String window;

  @JsonPropertyDescription(
      "How it was measured, e.g. counter delta, average since server start, daily series, "
          + "instant query.")
  private String method;

  @JsonPropertyDescription("When the sample was taken (RFC 3339).")
  private String sampledAt;

  @JsonPropertyDescription(
      "The same rate as requests per day (perMinute x 1440), as a provider bills them.")
  private Long perDay;

  public Double getPerMinute() {
    return perMinute;
  }

  public void setPerMinute(Double perMinute) {
    this.perMinute = perMinute;
  }

  public String getWindow() {
    return window;
  }

  public void setWindow(String window) {
    this.window = window;
  }

  public String getMethod() {
    return method;
  }

  public void setMethod(String method) {
    this.method = method;
  }

  public String getSampledAt() {
    return sampledAt;
  }

  public void setSampledAt(String sampledAt) {
    this.sampledAt = sampledAt;
  }

  public Long getPerDay() {
    return perDay;
  }

  public void setPerDay(Long perDay) {
    this.perDay = perDay;
  }
}
