package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A Fly.io app whose secrets hold the flag; its machines are updated to pick the new value up. */
public class FlyTargetSpec {

  @Required
  @Pattern("^[a-z0-9][-a-z0-9]*$")
  @Size(max = Bounds.LABEL)
  @JsonPropertyDescription("The Fly app name.")
  private String app;

  @Default(ApiConstants.DEFAULT_FLAG_KEY)
  @Pattern("^[A-Za-z_][A-Za-z0-9_]*$")
  @Size(max = Bounds.NAME)
  @JsonPropertyDescription("The app secret that holds the flag. Default SUSPEND_REDIS.")
  private String key = ApiConstants.DEFAULT_FLAG_KEY;

  @Required
  @JsonPropertyDescription(
      "Secret key in this namespace holding a Fly API token for the app (fly tokens create deploy"
          + " -a APP). The operator never reads secret values (Fly does not reveal them); it sets"
          + " the flag key and updates the app's machines.")
  private SecretKeySelector tokenSecretRef;

  @Default("https://api.machines.dev")
  @Pattern("^https?://.+")
  @Size(max = Bounds.URL)
  @JsonPropertyDescription(
      "Base URL of the Fly Machines API. Default https://api.machines.dev. The operator's outbound"
          + " policy (EGRESS_PROVIDER_API) must allow its host, or the token is never sent.")
  private String apiUrl = "https://api.machines.dev";

  public String getApp() {
    return app;
  }

  public void setApp(String app) {
    this.app = app;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public SecretKeySelector getTokenSecretRef() {
    return tokenSecretRef;
  }

  public void setTokenSecretRef(SecretKeySelector tokenSecretRef) {
    this.tokenSecretRef = tokenSecretRef;
  }

  public String getApiUrl() {
    return apiUrl;
  }

  public void setApiUrl(String apiUrl) {
    this.apiUrl = apiUrl;
  }
}
