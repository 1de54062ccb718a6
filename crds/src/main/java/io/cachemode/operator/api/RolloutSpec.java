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

  public String getTimeout() {
    return timeout;
  }

  public void setTimeout(String timeout) {
    this.timeout = timeout;
  }
}
