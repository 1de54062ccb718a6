package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
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
  @JsonPropertyDescription(
      "How long to observe after the rollout before judging the rate. Default 5m.")
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
      "When suspending, the GET rate must fall by at least this percentage. Not judged when activating. Default 95.")
  private Integer expectReductionPercent = 95;

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
}
