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

  @Default(ApiConstants.DEFAULT_FLAG_KEY)
  @Pattern("^[-._a-zA-Z0-9]+$")
  @Size(max = Bounds.NAME)
  @JsonPropertyDescription(
      "The flag's key in the Secret. Default SUSPEND_REDIS. No other key is ever touched.")
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
