package io.cachemode.operator.verify;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * A lifetime counter in a Redis {@code INFO} section, read together with the server's uptime: the
 * baseline is its average since the server started, the after-rate its delta over the window.
 */
enum RedisCounter {
  /** {@code cmdstat_get} calls from {@code INFO commandstats}. */
  CommandStats("commandstats", "GET counter", "cmdstat_get") {
    @Override
    Reading read(String reply, String where) {
      Optional<RedisInfo.CommandStats> stats = RedisInfo.commandStats(reply);
      if (stats.isEmpty()) {
        return Reading.failed(
            FailureKind.Malformed, where + " answered INFO commandstats in an unexpected format");
      }
      // Upstash answers only the heading for sections it does not support; reading that as
      // "0 GETs" would make any suspend look successful.
      if (stats.get().calls().isEmpty()) {
        return Reading.failed(
            FailureKind.Unsupported,
            where
                + " serves no command counters in INFO commandstats (only its heading, as Upstash"
                + " does); use method Monitor or Auto");
      }
      return new Reading(OptionalLong.of(stats.get().callsOf("get")), null);
    }
  },

  /** {@code keyspace_hits + keyspace_misses} from {@code INFO stats}. */
  Keyspace(
      "stats",
      "keyspace lookup counter",
      "keyspace_hits + keyspace_misses (key lookups of every read command: a proxy for reads, not"
          + " a count of GETs)") {
    @Override
    Reading read(String reply, String where) {
      OptionalLong lookups = RedisInfo.keyspaceLookups(reply);
      return lookups.isPresent()
          ? new Reading(lookups, null)
          : Reading.failed(
              FailureKind.Unsupported,
              where + " reports no keyspace_hits and keyspace_misses in INFO stats");
    }
  };

  private final String section;
  private final String label;
  private final String counted;

  RedisCounter(String section, String label, String counted) {
    this.section = section;
    this.label = label;
    this.counted = counted;
  }

  /** The INFO section holding the counter. */
  String section() {
    return section;
  }

  /** What the counter is called in messages, e.g. "GET counter". */
  String label() {
    return label;
  }

  /** What is counted, for the rate's reason. */
  String counted() {
    return counted;
  }

  /** The counter's value in a reply of {@link #section()}, or why there is none. */
  abstract Reading read(String reply, String where);

  /** A counter value or the failure to read one. */
  record Reading(OptionalLong value, Measurement.Failure failure) {
    static Reading failed(FailureKind kind, String message) {
      return new Reading(OptionalLong.empty(), new Measurement.Failure(kind, message));
    }
  }
}
