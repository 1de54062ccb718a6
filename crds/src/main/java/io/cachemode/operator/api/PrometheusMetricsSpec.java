package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A Prometheus-compatible HTTP API and a query that returns GET requests per second. */
public class PrometheusMetricsSpec {

  @Required
  @Pattern("^https?://.+")
  @Size(max = Bounds.URL)
  @JsonPropertyDescription(
      "Base URL of the Prometheus HTTP API, e.g. http://prometheus.monitoring.svc:9090.")
  private String url;

  @Required
  @Size(max = Bounds.QUERY)
  @JsonPropertyDescription(
      "PromQL returning one sample: GET requests per second, e.g."
          + " sum(rate(redis_commands_total{cmd=\"get\"}[5m])). An empty result or NaN is Inconclusive.")
  private String query;

  @JsonPropertyDescription(
      "Optional: Secret key holding a bearer token, sent as Authorization: Bearer <token> (e.g. for a"
          + " Prometheus behind an authenticating proxy, or a managed Prometheus-compatible API).")
  private SecretKeySelector bearerTokenSecretRef;

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getQuery() {
    return query;
  }

  public void setQuery(String query) {
    this.query = query;
  }

  public SecretKeySelector getBearerTokenSecretRef() {
    return bearerTokenSecretRef;
  }

  public void setBearerTokenSecretRef(SecretKeySelector bearerTokenSecretRef) {
    this.bearerTokenSecretRef = bearerTokenSecretRef;
  }
}
