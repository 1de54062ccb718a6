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
public class RequestMetricsSpec {

  @JsonPropertyDescription("Read cmdstat_get from Redis INFO commandstats.")
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

  public Integer getExpectReductionPercent() {
    return expectReductionPercent;
  }

  public void setExpectReductionPercent(Integer expectReductionPercent) {
    this.expectReductionPercent = expectReductionPercent;
  }
}
