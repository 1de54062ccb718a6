package io.cachemode.operator.verify;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Parses Redis {@code INFO} replies. Lines are {@code key:value}, commandstats values are
 * comma-separated {@code key=value} pairs; only {@code calls} is read, so fields added since 2.6
 * ({@code rejected_calls}, {@code failed_calls} in 6.2, or a fork's extras) do not matter.
 */
final class RedisInfo {

  private static final String COMMANDSTATS_HEADING = "# commandstats";
  private static final String CMDSTAT_PREFIX = "cmdstat_";

  private RedisInfo() {}

  /**
   * Calls per command from an {@code INFO commandstats} reply.
   *
   * @param calls keyed by lower-case full command name ({@code get}, {@code client|list} since 7.0)
   */
  record CommandStats(Map<String, Long> calls) {
    CommandStats {
      calls = Map.copyOf(calls);
    }

    /** Calls of {@code command}; Redis prints no line for a command never called. */
    long callsOf(String command) {
      return calls.getOrDefault(command.toLowerCase(Locale.ROOT), 0L);
    }
  }

  /**
   * Parses an {@code INFO commandstats} reply; empty when it is not one (no heading and no {@code
   * cmdstat_} line) or a {@code cmdstat_} line has no readable {@code calls}.
   */
  static Optional<CommandStats> commandStats(String info) {
    if (info == null) {
      return Optional.empty();
    }
    boolean heading = false;
    Map<String, Long> calls = new HashMap<>();
    for (String raw : info.split("\r?\n")) {
      String line = raw.strip();
      if (line.toLowerCase(Locale.ROOT).equals(COMMANDSTATS_HEADING)) {
        heading = true;
      }
      if (!line.startsWith(CMDSTAT_PREFIX)) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon < 0) {
        return Optional.empty();
      }
      String command = line.substring(CMDSTAT_PREFIX.length(), colon).toLowerCase(Locale.ROOT);
      OptionalLong count = longField(line.substring(colon + 1), "calls");
      if (command.isEmpty() || count.isEmpty()) {
        return Optional.empty();
      }
      calls.put(command, count.getAsLong());
    }
    return heading || !calls.isEmpty() ? Optional.of(new CommandStats(calls)) : Optional.empty();
  }

  /** {@code uptime_in_seconds} from an {@code INFO server} reply. */
  static OptionalLong uptimeSeconds(String info) {
    return field(info, "uptime_in_seconds");
  }

  /**
   * {@code keyspace_hits + keyspace_misses} from an {@code INFO stats} reply: the key lookups of
   * every read command.
   */
  static OptionalLong keyspaceLookups(String info) {
    OptionalLong hits = field(info, "keyspace_hits");
    OptionalLong misses = field(info, "keyspace_misses");
    return hits.isPresent() && misses.isPresent()
        ? OptionalLong.of(hits.getAsLong() + misses.getAsLong())
        : OptionalLong.empty();
  }

  /** A non-negative {@code name:value} field of an INFO reply. */
  static OptionalLong field(String info, String name) {
    if (info == null) {
      return OptionalLong.empty();
    }
    String prefix = name + ":";
    for (String raw : info.split("\r?\n")) {
      String line = raw.strip();
      if (line.startsWith(prefix)) {
        return parseNonNegative(line.substring(prefix.length()));
      }
    }
    return OptionalLong.empty();
  }

  private static OptionalLong longField(String fields, String name) {
    for (String pair : fields.split(",")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).strip().equals(name)) {
        return parseNonNegative(pair.substring(eq + 1));
      }
    }
    return OptionalLong.empty();
  }

  private static OptionalLong parseNonNegative(String text) {
    try {
      long value = Long.parseLong(text.strip());
      return value < 0 ? OptionalLong.empty() : OptionalLong.of(value);
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
