package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** GET-request rate before and after the change. */
public class RequestsStatus {

  @JsonPropertyDescription("redis, upstash or prometheus.")
  private String source;

  @JsonPropertyDescription("The counted command: GET.")
  private String command;

  @JsonPropertyDescription("Rate measured before the flag was written.")
  private RateSample before;

  @JsonPropertyDescription("Rate measured after the rollout, over spec.requestMetrics.window.")
  private RateSample after;

  @JsonPropertyDescription(
      "While the after-rollout window is open: what the meter captured when it opened (kept across operator"
          + " restarts).")
  private WindowStartStatus windowStart;

  @JsonPropertyDescription(
      "Change from before to after in percent (negative means fewer requests).")
  private Double deltaPercent;

  @JsonPropertyDescription(
      "Reduced, NotReduced or Inconclusive (no data, NaN, errors and counter resets are never a pass).")
  private RequestVerdict verdict;

  @JsonPropertyDescription("How the verdict was reached.")
  private String message;

  public String getSource() {
    return source;
  }

  public void setSource(String source) {
    this.source = source;
  }

  public String getCommand() {
    return command;
  }

  public void setCommand(String command) {
    this.command = command;
  }

  public RateSample getBefore() {
    return before;
  }

  public void setBefore(RateSample before) {
    this.before = before;
  }

  public RateSample getAfter() {
    return after;
  }

  public void setAfter(RateSample after) {
    this.after = after;
  }

  public WindowStartStatus getWindowStart() {
    return windowStart;
  }

  public void setWindowStart(WindowStartStatus windowStart) {
    this.windowStart = windowStart;
  }

  public Double getDeltaPercent() {
    return deltaPercent;
  }

  public void setDeltaPercent(Double deltaPercent) {
    this.deltaPercent = deltaPercent;
  }

  public RequestVerdict getVerdict() {
    return verdict;
  }

  public void setVerdict(RequestVerdict verdict) {
    this.verdict = verdict;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }
}
