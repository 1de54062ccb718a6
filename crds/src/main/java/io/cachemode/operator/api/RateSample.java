package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One measured request rate. */
public class RateSample {

  @JsonPropertyDescription("GET requests per minute.")
  private Double perMinute;

  @JsonPropertyDescription("The span the rate covers, e.g. 5m.")
  private String window;

  @JsonPropertyDescription(
      "How GETs were counted: CommandStats, Monitor or Keyspace (Redis), the Upstash series, or Prometheus"
          + " instant query. A before and an after counted differently are not compared.")
  private String method;

  @JsonPropertyDescription(
      "How the rate was computed from it and why this method was used, e.g. \"INFO commandstats has no"
          + " cmdstat_get (the server serves only its heading, as Upstash does); counted GETs with MONITOR over"
          + " 60s\".")
  private String reason;

  @JsonPropertyDescription(
      "True when the sample ended at the MONITOR line cap before its window: the rate covers the shorter span"
          + " actually sampled, and can show that GETs did not fall but never that they did.")
  private Boolean capped;

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

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public Boolean getCapped() {
    return capped;
  }

  public void setCapped(Boolean capped) {
    this.capped = capped;
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
