package io.cachemode.operator.api;

/** How the operator counts GETs on a Redis server it reaches directly. */
public enum RedisCountMethod {
  /**
   * CommandStats when {@code INFO commandstats} serves command counters; otherwise Monitor. Status
   * says which was used and why.
   */
  Auto,
  /** {@code cmdstat_get} from {@code INFO commandstats}: a lifetime counter of GET calls. */
  CommandStats,
  /**
   * GET, MGET (per key), GETEX and GETDEL counted on a dedicated {@code MONITOR} connection for
   * {@code requestMetrics.sampleWindow}; the baseline is such a sample too.
   */
  Monitor,
  /**
   * {@code keyspace_hits + keyspace_misses} from {@code INFO stats}: key lookups of every read
   * command, a proxy for reads rather than a count of GETs.
   */
  Keyspace
}
