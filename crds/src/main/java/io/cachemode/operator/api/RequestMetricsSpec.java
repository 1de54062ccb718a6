package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Where the Redis GET-request rate is read, and what counts as "reduced". */
@ValidationRule(
    value = "[has(self.redis), has(self.upstash), has(self.prometheus)].filter(x, x).size() == 1",
    message =
        "exactly one of requestMetrics.redis, requestMetrics.upstash or requestMetrics.prometheus must be set")
@ValidationRule(
    value =
        "!has(self.sampleWindow) || (duration(self.sampleWindow) >= duration('1s')"
            + " && duration(self.sampleWindow) <= duration('10m'))",
    message = "requestMetrics.sampleWindow must be between 1s and 10m")
public class RequestMetricsSpec {

  /** Default of {@link #sampleWindow}. */
  public static final String DEFAULT_SAMPLE_WINDOW = "60s";

  @JsonPropertyDescription(
      "Count GETs on the Redis server itself: INFO commandstats, MONITOR or INFO stats (see redis.method).")
  private RedisMetricsSpec redis;

  @JsonPropertyDescription("Read GET counts from the Upstash Developer API stats endpoint.")
  private UpstashMetricsSpec upstash;

  @JsonPropertyDescription("Evaluate a PromQL instant query that returns GET requests per second.")
  private PrometheusMetricsSpec prometheus;

  @Default("5m")
  @Pattern(RolloutSpec.DURATION_PATTERN)
  @Size(max = Bounds.DURATION)
  @ValidationRule(value = Bounds.LONG_DURATION_RULE, message = "must be between 1s and 24h")
  @JsonPropertyDescription(
      "How long to observe after the rollout before judging the rate, 1s to 24h. Default 5m.")
  private String window = "5m";

  @Default(DEFAULT_SAMPLE_WINDOW)
  @Pattern(RolloutSpec.DURATION_PATTERN)
  @JsonPropertyDescription(
      "For methods without a lifetime counter (redis.method Monitor, or Auto falling back to it): how long one"
          + " sample listens. The baseline is one such sample before the flag is written, the after-rate another"
          + " once the window has passed. 1s to 10m. Default 60s.")
  private String sampleWindow = DEFAULT_SAMPLE_WINDOW;

  @Default("95")
  @Min(0)
  @Max(100)
  @JsonPropertyDescription(
      "When suspending, the GET rate must fall by at least this percentage. Not judged when "
          + "activating. Default 95.")
  private Integer expectReductionPercent = 95;

  @Size(max = Bounds.DURATION)
  @ValidationRule(value = Bounds.LONG_DURATION_RULE, message = "must be between 1s and 24h")
  @Default("15m")
  @Pattern(RolloutSpec.DURATION_PATTERN)
  @JsonPropertyDescription(
      "After the verdict, how often the GET rate is sampled again while watching "
          + "(watchFor). Default 15m.")
  private String interval = "15m";

  @Size(max = Bounds.DURATION)
  @ValidationRule(
      value = "duration(self) <= duration('168h')",
      message = "must be at most 168h (a week)")
  @Default("24h")
  @Pattern(RolloutSpec.DURATION_PATTERN)
  @JsonPropertyDescription(
      "How long after the verdict the GET rate keeps being sampled, as the runbook's "
          + "\"watch for the next 24 hours\": GETs coming back while suspended un-verify the "
          + "change (phase Ineffective). 0s turns watching off. Default 24h.")
  private String watchFor = "24h";

  @Pattern("^[0-9]{1,6}(\\.[0-9]{1,6})?$")
  @JsonPropertyDescription(
      "Optional price per 100,000 requests (e.g. \"0.20\"), to show the projected monthly "
          + "cost before and after in status.")
  private String pricePer100kRequests;

  @Default("true")
  @JsonPropertyDescription(
      "When activating (suspend: false), whether GETs must come back (after-rate above "
          + "zero, verdict Resumed) for the change to count as verified. Default true.")
  private Boolean expectResumed = Boolean.TRUE;

  public RedisMetricsSpec getRedis() {
    return redis;
  }

  public void setRedis(RedisMetricsSpec redis) {
    this.redis = redis;
  }

  public UpstashMetricsSpec getUpstash() {
    return upstash;
  }

  public void setUpstash(UpstashMetricsSpec upstash) {
    this.upstash = upstash;
  }

  public PrometheusMetricsSpec getPrometheus() {
    return prometheus;
  }

  public void setPrometheus(PrometheusMetricsSpec prometheus) {
    this.prometheus = prometheus;
  }

  public String getWindow() {
    return window;
  }

  public void setWindow(String window) {
    this.window = window;
  }

  public String getSampleWindow() {
    return sampleWindow;
  }

  public void setSampleWindow(String sampleWindow) {
    this.sampleWindow = sampleWindow;
  }

  public Integer getExpectReductionPercent() {
    return expectReductionPercent;
  }

  public void setExpectReductionPercent(Integer expectReductionPercent) {
    this.expectReductionPercent = expectReductionPercent;
  }

  public String getInterval() {
    return interval;
  }

  public void setInterval(String interval) {
    this.interval = interval;
  }

  public String getWatchFor() {
    return watchFor;
  }

  public void setWatchFor(String watchFor) {
    this.watchFor = watchFor;
  }

  public String getPricePer100kRequests() {
    return pricePer100kRequests;
  }

  public void setPricePer100kRequests(String pricePer100kRequests) {
    this.pricePer100kRequests = pricePer100kRequests;
  }

  public Boolean getExpectResumed() {
    return expectResumed;
  }

  public void setExpectResumed(Boolean expectResumed) {
    this.expectResumed = expectResumed;
  }
}
