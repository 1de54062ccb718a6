package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A line every restarted pod must log, e.g. the runbook's "REDIS SUSPENDED: Distributed caching is
 * disabled".
 */
public class LogCheckSpec {

  /** Default of {@link #within}. */
  public static final String DEFAULT_WITHIN = "5m";

  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @Size(max = Bounds.LABEL)
  @JsonPropertyDescription("Name reported in status.logChecks.")
  private String name;

  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @Size(max = Bounds.LABEL)
  @JsonPropertyDescription(
      "Container whose log is read. Default: the pod's kubectl.kubernetes.io/default-container, else its first"
          + " container.")
  private String container;

  @Required
  @Size(min = 1, max = Bounds.BODY_TEXT)
  @JsonPropertyDescription(
      "Substring the log must contain (case-sensitive, within one line). Only this substring is ever shown in"
          + " status, never the log lines.")
  private String contains;

  @Default(DEFAULT_WITHIN)
  @Pattern(RolloutSpec.DURATION_PATTERN)
  @Size(max = Bounds.DURATION)
  @ValidationRule(value = "duration(self) <= duration('1h')", message = "must be at most 1h")
  @JsonPropertyDescription(
      "How long after the container started the line may appear. A pod that has not logged it by then fails"
          + " the check. Default 5m.")
  private String within = DEFAULT_WITHIN;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getContainer() {
    return container;
  }

  public void setContainer(String container) {
    this.container = container;
  }

  public String getContains() {
    return contains;
  }

  public void setContains(String contains) {
    this.contains = contains;
  }

  public String getWithin() {
    return within;
  }

  public void setWithin(String within) {
    this.within = within;
  }
}
