package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** A Redis server the operator connects to in order to count GETs. */
public class RedisMetricsSpec {

  /** Default of {@link #maxMonitorLines}. */
  public static final int DEFAULT_MAX_MONITOR_LINES = 1_000_000;

  @Required
  @JsonPropertyDescription(
      "Secret key holding the Redis URL: redis://[user:password@]host:port[/db], or rediss://... for TLS (as"
          + " Upstash requires). The ACL user and password come from the URL; every method uses them.")
  private SecretKeySelector addressSecretRef;

  @Default("Auto")
  @JsonPropertyDescription(
      "How GETs are counted. Auto (default): cmdstat_get from INFO commandstats when the server serves it,"
          + " otherwise a MONITOR sample. CommandStats: cmdstat_get only. Monitor: GET, MGET (per key), GETEX and"
          + " GETDEL seen on a dedicated MONITOR connection during requestMetrics.sampleWindow (the baseline is"
          + " such a sample, taken before the flag is written). Keyspace: keyspace_hits + keyspace_misses from"
          + " INFO stats, a proxy for read commands, not a count of GETs.")
  private RedisCountMethod method = RedisCountMethod.Auto;

  @Default("1000000")
  @Min(100)
  @Max(10000000)
  @JsonPropertyDescription(
      "Monitor only: the most MONITOR lines one sample reads (every command of every client is a line). When"
          + " reached the sample ends early, status says so, and such a sample can show that GETs did not fall"
          + " but never that they did. Default 1000000.")
  private Integer maxMonitorLines = DEFAULT_MAX_MONITOR_LINES;

  public SecretKeySelector getAddressSecretRef() {
    return addressSecretRef;
  }

  public void setAddressSecretRef(SecretKeySelector addressSecretRef) {
    this.addressSecretRef = addressSecretRef;
  }

  public RedisCountMethod getMethod() {
    return method;
  }

  public void setMethod(RedisCountMethod method) {
    this.method = method;
  }

  public Integer getMaxMonitorLines() {
    return maxMonitorLines;
  }

  public void setMaxMonitorLines(Integer maxMonitorLines) {
    this.maxMonitorLines = maxMonitorLines;
  }
}
