package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A Redis server whose INFO commandstats the operator reads. */
public class RedisMetricsSpec {

  @Required
  @JsonPropertyDescription(
      "Secret key holding the Redis URL (redis://[:password@]host:port or rediss://...), password included.")
  private SecretKeySelector addressSecretRef;

  public SecretKeySelector getAddressSecretRef() {
    return addressSecretRef;
  }

  public void setAddressSecretRef(SecretKeySelector addressSecretRef) {
    this.addressSecretRef = addressSecretRef;
  }
}
