package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** An Upstash database read through the Developer API (native Upstash accounts only). */
public class UpstashMetricsSpec {

  @Required
  @Size(max = Bounds.DATABASE_ID)
  @JsonPropertyDescription("The database_id of the Upstash Redis database.")
  private String databaseId;

  @Required
  @JsonPropertyDescription(
      "Secret in this namespace with the account email and Developer API key (HTTP Basic credentials).")
  private UpstashCredentialsRef credentialsSecretRef;

  @Default("https://api.upstash.com")
  @Pattern("^https?://.+")
  @Size(max = Bounds.URL)
  @JsonPropertyDescription(
      "Base URL of the Developer API. Default https://api.upstash.com. The operator's outbound"
          + " policy (EGRESS_PROVIDER_API) must allow its host, or the credentials are never sent.")
  private String apiUrl = "https://api.upstash.com";

  public String getDatabaseId() {
    return databaseId;
  }

  public void setDatabaseId(String databaseId) {
    this.databaseId = databaseId;
  }

  public UpstashCredentialsRef getCredentialsSecretRef() {
    return credentialsSecretRef;
  }

  public void setCredentialsSecretRef(UpstashCredentialsRef credentialsSecretRef) {
    this.credentialsSecretRef = credentialsSecretRef;
  }

  public String getApiUrl() {
    return apiUrl;
  }

  public void setApiUrl(String apiUrl) {
    this.apiUrl = apiUrl;
  }
}
