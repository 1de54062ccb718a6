package io.cachemode.operator.verify;

import io.cachemode.operator.api.RedisCountMethod;
import java.time.Duration;

/** Builds the meter of each {@link RedisCountMethod} for one Redis server. */
final class RedisMeters {

  private final RedisConnections connections;
  private final Duration sampleWindow;
  private final long maxMonitorLines;

  RedisMeters(RedisConnections connections, Duration sampleWindow, long maxMonitorLines) {
    this.connections = connections;
    this.sampleWindow = sampleWindow;
    this.maxMonitorLines = maxMonitorLines;
  }

  /** The meter {@code spec.requestMetrics.redis.method} names. */
  RequestMeter create(RedisCountMethod method) {
    return method == RedisCountMethod.Auto
        ? new RedisAutoMeter(connections, this)
        : forMethod(method, "spec.requestMetrics.redis.method is " + method);
  }

  /**
   * A meter that counts with exactly {@code method}.
   *
   * @param why why this method is used, the start of every rate's reason
   */
  RequestMeter forMethod(RedisCountMethod method, String why) {
    return switch (method) {
      case CommandStats -> new RedisCounterMeter(connections, RedisCounter.CommandStats, why);
      case Keyspace -> new RedisCounterMeter(connections, RedisCounter.Keyspace, why);
      case Monitor ->
          new RedisMonitorMeter(
              new MonitorSampler(connections, sampleWindow, maxMonitorLines), why);
      case Auto -> throw new IllegalArgumentException("Auto is a choice, not a counting method");
    };
  }
}
