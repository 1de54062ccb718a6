package io.cachemode.operator.verify;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * Counts the GET family in MONITOR lines: GET, GETEX and GETDEL count one each, MGET one per key.
 * GETSET, GETRANGE, HGET and the like are other commands and are not counted. Lines of the
 * operator's own connections are left out.
 */
final class MonitorTally {

  private final Predicate<String> ownClient;
  private long lines;
  private long gets;
  private long own;
  private long unreadable;

  /**
   * @param ownClient whether a MONITOR client field is one of the operator's connections
   */
  MonitorTally(Predicate<String> ownClient) {
    this.ownClient = ownClient;
  }

  void add(String line) {
    lines++;
    Optional<MonitorLine.Parsed> parsed = MonitorLine.parse(line);
    if (parsed.isEmpty()) {
      unreadable++;
      return;
    }
    if (ownClient.test(parsed.get().client())) {
      own++;
      return;
    }
    gets += getsOf(parsed.get().command(), parsed.get().arguments());
  }

  /** GET requests one command makes. */
  static long getsOf(String command, int arguments) {
    return switch (command) {
      case "get", "getex", "getdel" -> arguments >= 1 ? 1 : 0;
      case "mget" -> arguments;
      default -> 0;
    };
  }

  long lines() {
    return lines;
  }

  long gets() {
    return gets;
  }

  /** Lines of the operator's own connections, not counted. */
  long own() {
    return own;
  }

  /** Lines that were not in MONITOR's format. */
  long unreadable() {
    return unreadable;
  }
}
