package io.cachemode.operator.verify;

import io.cachemode.operator.api.RedisCountMethod;
import java.util.Optional;

/**
 * Decides, from the server's answer to {@code INFO commandstats}, how {@code method: Auto} counts
 * GETs: with {@code cmdstat_get} when the reply carries command counters, otherwise with MONITOR,
 * saying why. Failures that MONITOR would meet as well (unreachable, wrong password) are not a
 * reason to fall back; they are the answer.
 */
final class AutoChoice {

  private AutoChoice() {}

  /** What {@code INFO commandstats} produced. */
  sealed interface Probe permits Answered, Refused, Failed {}

  /** A reply (possibly only a heading). */
  record Answered(String reply) implements Probe {}

  /**
   * The connection worked but the command was refused with an error reply.
   *
   * @param code its first word (NOPERM, ERR, ...)
   * @param message the error, password already removed
   */
  record Refused(String code, String message) implements Probe {}

  /** No answer at all, or the credentials were rejected. */
  record Failed(Measurement.Failure failure) implements Probe {}

  sealed interface Choice permits Use, Fail {}

  /**
   * @param why shown in status as the start of every rate's reason
   */
  record Use(RedisCountMethod method, String why) implements Choice {}

  record Fail(Measurement.Failure failure) implements Choice {}

  static Choice decide(Probe probe) {
    if (probe instanceof Failed failed) {
      return new Fail(failed.failure());
    }
    if (probe instanceof Refused refused) {
      return refused.code().equals("NOPERM")
          ? monitor("INFO commandstats is not permitted for this ACL user (NOPERM)")
          : monitor(
              "INFO commandstats was refused (" + HttpGet.abbreviate(refused.message()) + ")");
    }
    String reply = ((Answered) probe).reply();
    Optional<RedisInfo.CommandStats> stats = RedisInfo.commandStats(reply);
    if (stats.isEmpty()) {
      return monitor("INFO commandstats answered in an unexpected format");
    }
    if (stats.get().calls().isEmpty()) {
      return monitor(
          "INFO commandstats has no cmdstat_get (the server serves only its heading, as Upstash"
              + " does)");
    }
    return new Use(RedisCountMethod.CommandStats, "Auto: INFO commandstats serves cmdstat_get");
  }

  private static Use monitor(String why) {
    return new Use(RedisCountMethod.Monitor, why);
  }
}
