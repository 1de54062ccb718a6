package io.cachemode.operator.targets;

import java.time.Duration;
import java.util.Optional;

/**
 * A transient failure talking to a target; the reconcile is retried with back-off, or after {@link
 * #retryAfter()} when the target said when to come back (an HTTP 429 with {@code Retry-After}).
 */
public class TargetException extends RuntimeException {
  private final Duration retryAfter;

  public TargetException(String message, Throwable cause) {
    super(message, cause);
    this.retryAfter = null;
  }

  public TargetException(String message) {
    this(message, (Duration) null);
  }

  /**
   * @param retryAfter when the target asked to be called again, already bounded; null when it did
   *     not say
   */
  public TargetException(String message, Duration retryAfter) {
    super(message);
    this.retryAfter = retryAfter;
  }

  /**
   * When the target asked to be called again. The reconciler must requeue after it rather than
   * sleep: a reconcile thread never waits on a target.
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
