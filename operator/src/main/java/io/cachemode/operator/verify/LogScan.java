package io.cachemode.operator.verify;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Looks for a substring in one container's timestamped log ({@code <RFC 3339> <line>} per line)
 * within {@code [start, deadline]}. Only whether and when it matched leaves this class, never a
 * line.
 */
final class LogScan {

  private LogScan() {}

  sealed interface Outcome permits Matched, Absent, Pending, CutShort {}

  /** The substring appeared at {@code at} (the line's timestamp). */
  record Matched(Instant at) implements Outcome {}

  /** The window is over and the substring did not appear in it. */
  record Absent() implements Outcome {}

  /** Not yet: the window is still open until {@code deadline}. */
  record Pending(Instant deadline) implements Outcome {}

  /**
   * The read stopped at its byte cap before the window's end, without a match: the rest is unknown.
   *
   * @param readUntil the timestamp of the last line read, null if none had one
   */
  record CutShort(Instant readUntil) implements Outcome {}

  /**
   * @param text as {@link PodLogs#read} returned it
   * @param truncated whether the read hit its byte cap
   */
  static Outcome scan(
      String text,
      boolean truncated,
      String contains,
      Instant start,
      Instant deadline,
      Instant now) {
    Instant last = null;
    boolean beyond = false;
    for (String line : text.split("\n", -1)) {
      int space = line.indexOf(' ');
      if (space <= 0) {
        continue;
      }
      Instant at;
      try {
        at = Instant.parse(line.substring(0, space));
      } catch (DateTimeParseException e) {
        continue;
      }
      last = at;
      if (at.isAfter(deadline)) {
        beyond = true;
        break;
      }
      if (!at.isBefore(start) && line.indexOf(contains, space + 1) >= 0) {
        return new Matched(at);
      }
    }
    if (beyond) {
      return new Absent();
    }
    if (truncated) {
      return new CutShort(last);
    }
    return now.isAfter(deadline) ? new Absent() : new Pending(deadline);
  }
}
