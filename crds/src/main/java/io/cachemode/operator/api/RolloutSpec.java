package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Limits on the restart. */
public class RolloutSpec {

  /** Go-style duration such as 90s, 10m or 1h30m. */
  public static final String DURATION_PATTERN = "^([0-9]+(ms|s|m|h))+$";

  @Default("10m")
  @Pattern(DURATION_PATTERN)
  @Size(max = Bounds.DURATION)
  @ValidationRule(value = Bounds.LONG_DURATION_RULE, message = "must be between 1s and 24h")
  @JsonPropertyDescription(
      "Deadline for every restarted workload to finish rolling out, counted from the restart (e.g. 90s, 10m)."
          + " Missing it fails the change. Default 10m.")
  private String timeout = "10m";

  @Size(max = Bounds.DURATION)
  @ValidationRule(value = "duration(self) <= duration('10m')", message = "must be at most 10m")
  @Default("2s")
  @Pattern(DURATION_PATTERN)
  @JsonPropertyDescription(
      "How long a spec edit must stand unedited before the operator acts on it, so edits made in quick"
          + " succession end in one write and one restart. 0s acts at once. Default 2s.")
  private String settle = "2s";

  public String getTimeout() {
    return timeout;
  }

  public void setTimeout(String timeout) {
    this.timeout = timeout;
  }

  public String getSettle() {
    return settle;
  }

  public void setSettle(String settle) {
    this.settle = settle;
  }
}
