package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A key of a Secret in the CacheMode's own namespace (references to other namespaces are not
 * possible).
 */
public class SecretKeySelector {

  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @Size(max = Bounds.NAME)
  @JsonPropertyDescription("Name of a Secret in the same namespace as the CacheMode.")
  private String name;

  @Required
  @Pattern("^[-._a-zA-Z0-9]+$")
  @Size(max = Bounds.NAME)
  @JsonPropertyDescription("Key within the Secret's data.")
  private String key;

  public SecretKeySelector() {}

  public SecretKeySelector(String name, String key) {
    this.name = name;
    this.key = key;
  }

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
