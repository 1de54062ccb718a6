package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** How long verification may stay inconclusive. */
public class VerificationSpec {

  @Size(max = Bounds.DURATION)
  @ValidationRule(value = Bounds.LONG_DURATION_RULE, message = "must be between 1s and 24h")
  @Default("30m")
  @Pattern(RolloutSpec.DURATION_PATTERN)
  @JsonPropertyDescription(
      "How long after the rollout missing evidence (an unreachable meter, an inconclusive "
          + "check) is retried with backoff before Verified turns Unknown with reason "
          + "InconclusiveAfterDeadline. Retries continue at the longest backoff after it. Default "
          + "30m.")
  private String deadline = "30m";

  public String getDeadline() {
    return deadline;
  }

  public void setDeadline(String deadline) {
    this.deadline = deadline;
  }
}
