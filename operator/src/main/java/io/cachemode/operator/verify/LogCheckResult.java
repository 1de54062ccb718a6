package io.cachemode.operator.verify;

import io.cachemode.operator.api.CheckResult;
import io.cachemode.operator.api.LogCheckStatus;
import java.time.Instant;

/**
 * The outcome of one log check.
 *
 * @param result Passed only when every pod of the current revisions logged the line in time
 * @param firstMatchAt the earliest matching line's timestamp; null when none matched
 * @param decidableAt when Inconclusive only because windows are still open: when the last one
 *     closes, so the caller can check again then; null when decided, or when no time is known (a
 *     log could not be read, a container has not started): then retry with backoff
 * @param message names pods and the expected substring, never a log line
 */
public record LogCheckResult(
    String name,
    CheckResult result,
    int podsMatched,
    int podsSeen,
    Instant firstMatchAt,
    Instant checkedAt,
    Instant decidableAt,
    String message) {

  public LogCheckStatus toStatus() {
    LogCheckStatus status = new LogCheckStatus();
    status.setName(name);
    status.setResult(result);
    status.setPodsMatched(podsMatched);
    status.setPodsSeen(podsSeen);
    status.setFirstMatchAt(firstMatchAt == null ? null : firstMatchAt.toString());
    status.setCheckedAt(checkedAt.toString());
    status.setMessage(message);
    status.setRetryAt(decidableAt == null ? null : decidableAt.toString());
    return status;
  }
}
