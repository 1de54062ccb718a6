package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** The Secret holding Upstash Developer API credentials. */
public class UpstashCredentialsRef {

  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @Size(max = Bounds.NAME)
  @JsonPropertyDescription("Name of a Secret in the same namespace as the CacheMode.")
  private String name;

  @Default("email")
  @Pattern("^[-._a-zA-Z0-9]+$")
  @Size(max = Bounds.NAME)
  @JsonPropertyDescription("Key holding the account email. Default email.")
  private String emailKey = "email";

  @Default("apiKey")
  @Pattern("^[-._a-zA-Z0-9]+$")
  @Size(max = Bounds.NAME)
  @JsonPropertyDescription("Key holding the Developer API key. Default apiKey.")
  private String apiKeyKey = "apiKey";

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getEmailKey() {
    return emailKey;
  }

  public void setEmailKey(String emailKey) {
    this.emailKey = emailKey;
  }

  public String getApiKeyKey() {
    return apiKeyKey;
  }

  public void setApiKeyKey(String apiKeyKey) {
    this.apiKeyKey = apiKeyKey;
  }
}
