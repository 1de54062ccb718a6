package io.cachemode.operator.egress;

/**
 * Why the operator opens a connection. Each purpose has its own allowed destinations, so a
 * destination fit for a health check (any cluster Service) is not thereby fit for the credentials
 * of a provider API.
 */
public enum Purpose {
  /** {@code spec.healthChecks[].url}. */
  HealthCheck("EGRESS_HEALTH_CHECK", "health check"),
  /** {@code spec.requestMetrics.prometheus.url}: no credentials are sent. */
  Metrics("EGRESS_METRICS", "metrics query"),
  /** The Upstash Developer API and the Fly Machines API: credentials from a Secret are sent. */
  ProviderApi("EGRESS_PROVIDER_API", "provider API"),
  /** The Redis server named by {@code spec.requestMetrics.redis.addressSecretRef}. */
  Redis("EGRESS_REDIS", "Redis connection");

  private final String environmentVariable;
  private final String description;

  Purpose(String environmentVariable, String description) {
    this.environmentVariable = environmentVariable;
    this.description = description;
  }

  /** The variable holding this purpose's allowed destinations, comma-separated. */
  public String environmentVariable() {
    return environmentVariable;
  }

  /** Lower-case words for messages, e.g. "health check". */
  public String description() {
    return description;
  }
}
