package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** What the flag should be, where it lives, and how the change is verified. */
@ValidationRule(
    value = "!has(self.logChecks) || size(self.logChecks) == 0 || has(self.target.kubernetes)",
    message = "logChecks read pods/log through the API server and need target.kubernetes")
public class CacheModeSpec {

  @Required
  @JsonPropertyDescription(
      "The flag value the app should run with: true suspends the cache (the app stops "
          + "talking to Redis), false activates it. Written into the target as the canonical "
          + "string \"true\" or \"false\". A string such as \"fa61a13817d73a23\" or \"true\" "
          + "(quoted) is rejected at admission.")
  private Boolean suspend;

  @Required
  @JsonPropertyDescription(
      "Where the flag lives and which workloads read it. Exactly one of kubernetes or fly.")
  private TargetSpec target;

  @Default("LowercaseTrue")
  @JsonPropertyDescription(
      "How the app turns the flag string into a boolean, used to report what the app would "
          + "actually do with the value currently stored. LowercaseTrue (default, the incident's "
          + "own app: os.getenv(\"SUSPEND_REDIS\", \"false\").lower() == \"true\", no trimming, a "
          + "missing key is false); TrimmedLowercaseTrue: value.strip().lower() == \"true\"; "
          + "ExactTrue: value == \"true\"; Truthy: one of 1, t, true, y, yes, on (trimmed, any "
          + "case); NonEmpty: any non-empty value is true.")
  private ParseRule parseRule = ParseRule.LowercaseTrue;

  @JsonPropertyDescription("How long the restart may take before it counts as failed.")
  private RolloutSpec rollout = new RolloutSpec();

  @Size(max = Bounds.HEALTH_CHECKS)
  @JsonPropertyDescription(
      "HTTP checks run after the rollout completes, at most 10. Any Failed check fails the change (and rolls it back when"
          + " rollbackOnFailure is true).")
  private List<HealthCheckSpec> healthChecks = new ArrayList<>();

  @JsonPropertyDescription(
      "Log lines the pods the restart created must write, read through the API server's pods/log (the"
          + " runbook's \"look for REDIS SUSPENDED in the logs\"). Kubernetes targets only.")
  @Size(max = 20)
  private List<LogCheckSpec> logChecks = new ArrayList<>();

  @JsonPropertyDescription(
      "Optional: measure the Redis GET-request rate before the change and after the rollout. Exactly one source.")
  private RequestMetricsSpec requestMetrics;

  @Default("true")
  @JsonPropertyDescription(
      "When the rollout misses its deadline or a health check fails, write the previous "
          + "value back (in canonical form) and restart once more. Default true.")
  private Boolean rollbackOnFailure = Boolean.TRUE;

  @Default("false")
  @JsonPropertyDescription(
      "Plan only: status lists what would change (phase Planned); nothing is written to the "
          + "Secret or workloads.")
  private Boolean dryRun = Boolean.FALSE;

  @Default("20")
  @Min(1)
  @Max(200)
  @JsonPropertyDescription(
      "How many transitions status.history keeps, oldest dropped first. Default 20.")
  private Integer historyLimit = 20;

  @JsonPropertyDescription(
      "How long verification may stay inconclusive before that is reported as final.")
  private VerificationSpec verification = new VerificationSpec();

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }

  public TargetSpec getTarget() {
    return target;
  }

  public void setTarget(TargetSpec target) {
    this.target = target;
  }

  public ParseRule getParseRule() {
    return parseRule;
  }

  public void setParseRule(ParseRule parseRule) {
    this.parseRule = parseRule;
  }

  public RolloutSpec getRollout() {
    return rollout;
  }

  public void setRollout(RolloutSpec rollout) {
    this.rollout = rollout;
  }

  public List<HealthCheckSpec> getHealthChecks() {
    return healthChecks;
  }

  public void setHealthChecks(List<HealthCheckSpec> healthChecks) {
    this.healthChecks = healthChecks;
  }

  public List<LogCheckSpec> getLogChecks() {
    return logChecks;
  }

  public void setLogChecks(List<LogCheckSpec> logChecks) {
    this.logChecks = logChecks;
  }

  public RequestMetricsSpec getRequestMetrics() {
    return requestMetrics;
  }

  public void setRequestMetrics(RequestMetricsSpec requestMetrics) {
    this.requestMetrics = requestMetrics;
  }

  public Boolean getRollbackOnFailure() {
    return rollbackOnFailure;
  }

  public void setRollbackOnFailure(Boolean rollbackOnFailure) {
    this.rollbackOnFailure = rollbackOnFailure;
  }

  public Boolean getDryRun() {
    return dryRun;
  }

  public void setDryRun(Boolean dryRun) {
    this.dryRun = dryRun;
  }

  public Integer getHistoryLimit() {
    return historyLimit;
  }

  public void setHistoryLimit(Integer historyLimit) {
    this.historyLimit = historyLimit;
  }

  public VerificationSpec getVerification() {
    return verification;
  }

  public void setVerification(VerificationSpec verification) {
    this.verification = verification;
  }
}
