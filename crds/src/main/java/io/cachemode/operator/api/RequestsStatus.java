package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

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
      "Change from before to after in percent (negative means fewer requests).")
  private Double deltaPercent;

  @JsonPropertyDescription(
      "Reduced, NotReduced (suspending), Resumed, NotResumed (activating), Returned (GETs came "
          + "back while watching) or Inconclusive (no data, NaN, errors and counter resets are "
          + "never a pass).")
  private RequestVerdict verdict;

  @JsonPropertyDescription("How the verdict was reached.")
  private String message;

  @JsonPropertyDescription(
      "Where the open observation window (or the current watch sample) started: what the meter "
          + "captured then, kept across operator restarts and leader changes.")
  private WindowStartStatus windowStart;

  @JsonPropertyDescription("When the verdict was reached (RFC 3339).")
  private String judgedAt;

  @JsonPropertyDescription(
      "Until when the GET rate keeps being sampled after the verdict (RFC 3339).")
  private String watchUntil;

  @JsonPropertyDescription("The newest samples taken while watching (bounded), oldest first.")
  private List<RequestSample> samples = new ArrayList<>();

  @JsonPropertyDescription(
      "Projected monthly cost before and after, when "
          + "spec.requestMetrics.pricePer100kRequests is set.")
  private CostStatus cost;

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

  public WindowStartStatus getWindowStart() {
    return windowStart;
  }

  public void setWindowStart(WindowStartStatus windowStart) {
    this.windowStart = windowStart;
  }

  public String getJudgedAt() {
    return judgedAt;
  }

  public void setJudgedAt(String judgedAt) {
    this.judgedAt = judgedAt;
  }

  public String getWatchUntil() {
    return watchUntil;
  }

  public void setWatchUntil(String watchUntil) {
    this.watchUntil = watchUntil;
  }

  public List<RequestSample> getSamples() {
    return samples;
  }

  public void setSamples(List<RequestSample> samples) {
    this.samples = samples;
  }

  public CostStatus getCost() {
    return cost;
  }

  public void setCost(CostStatus cost) {
    this.cost = cost;
  }
}
