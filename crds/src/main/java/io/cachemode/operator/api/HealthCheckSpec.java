package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** One HTTP health check run after the rollout. */
public class HealthCheckSpec {

  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @Size(max = Bounds.LABEL)
  @JsonPropertyDescription("Name reported in status.healthChecks.")
  private String name;

  @Required
  @Pattern("^https?://.+")
  @Size(max = Bounds.URL)
  @JsonPropertyDescription(
      "http or https URL the operator can reach, e.g. http://app.ns.svc:8080/health.")
  private String url;

  @JsonPropertyDescription("What a passing response looks like. Default: status 200.")
  private HealthExpectation expect = new HealthExpectation();

  @Default("5s")
  @Pattern(RolloutSpec.DURATION_PATTERN)
  @Size(max = Bounds.DURATION)
  @ValidationRule(value = Bounds.CHECK_TIMEOUT_RULE, message = "must be between 100ms and 1m")
  @JsonPropertyDescription(
      "Timeout of one attempt (connect, write and read, redirects included), 100ms to 1m. Default"
          + " 5s.")
  private String timeout = "5s";

  @Default("3")
  @Min(1)
  @Max(Bounds.HEALTH_CHECK_ATTEMPTS)
  @JsonPropertyDescription(
      "Attempts before the check counts as failed (1 to 10); the first passing attempt passes it."
          + " Default 3.")
  private Integer attempts = 3;

  @Default("2s")
  @Pattern(RolloutSpec.DURATION_PATTERN)
  @Size(max = Bounds.DURATION)
  @ValidationRule(value = Bounds.CHECK_INTERVAL_RULE, message = "must be at most 1m")
  @JsonPropertyDescription("Pause between attempts, at most 1m. Default 2s.")
  private String interval = "2s";

  @Default("Never")
  @JsonPropertyDescription(
      "Redirects to follow: Never (default: a 3xx is the answer, and the check reports the redirect as"
          + " not followed) or SameHost (only redirects to the same host, at most 5, never from https to"
          + " http).")
  private FollowRedirects followRedirects = FollowRedirects.Never;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public HealthExpectation getExpect() {
    return expect;
  }

  public void setExpect(HealthExpectation expect) {
    this.expect = expect;
  }

  public String getTimeout() {
    return timeout;
  }

  public void setTimeout(String timeout) {
    this.timeout = timeout;
  }

  public Integer getAttempts() {
    return attempts;
  }

  public void setAttempts(Integer attempts) {
    this.attempts = attempts;
  }

  public String getInterval() {
    return interval;
  }

  public void setInterval(String interval) {
    this.interval = interval;
  }

  public FollowRedirects getFollowRedirects() {
    return followRedirects;
  }

  public void setFollowRedirects(FollowRedirects followRedirects) {
    this.followRedirects = followRedirects;
  }
}
