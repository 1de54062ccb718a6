package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** The Secret key holding the app's flag. */
public class FlagSecretRef {

  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @Size(max = Bounds.NAME)
  @JsonPropertyDescription("Name of a Secret in the same namespace as the CacheMode.")
  private String name;

  // The key is also the value of the Secret's cachemode.io/managed-key label (the admission
  // policy reads it from there), so it must be a valid label value, not just a valid data key.
  @Default(ApiConstants.DEFAULT_FLAG_KEY)
  @Pattern(Bounds.LABEL_VALUE_PATTERN)
  @Size(max = Bounds.LABEL)
  @JsonPropertyDescription(
      "The flag's key in the Secret: at most 63 characters, alphanumeric at both ends (it is also"
          + " the value of the cachemode.io/managed-key label). Default SUSPEND_REDIS. No other"
          + " key is ever touched.")
  private String key = ApiConstants.DEFAULT_FLAG_KEY;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }
}
