package io.cachemode.operator.audit;

import io.cachemode.operator.api.HistoryEntry;
import io.cachemode.operator.api.Phase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The bounded list of phase transitions kept in status, newest last. */
public final class History {
  private History() {}

  public static List<HistoryEntry> append(
      List<HistoryEntry> history,
      int limit,
      Instant at,
      long generation,
      Phase from,
      Phase to,
      String reason,
      String message) {
    HistoryEntry e = new HistoryEntry();
    e.setTime(at.toString());
    e.setGeneration(generation);
    e.setFrom(from);
    e.setTo(to);
    e.setReason(reason);
    e.setMessage(message);
    List<HistoryEntry> out = new ArrayList<>(history == null ? List.of() : history);
    out.add(e);
    return new ArrayList<>(out.subList(Math.max(0, out.size() - limit), out.size()));
  }
}
