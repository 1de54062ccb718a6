package io.cachemode.operator.app;

import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Duration;

/**
 * How a failed reconcile is retried: 2 s, then doubling, up to every 30 s, and never given up.
 *
 * <p>JOSDK's default gives up after 5 attempts (about 18 s); a CacheMode whose retries are spent
 * then waits for an event on one of its objects, which a half-finished transition may never get
 * (its Secret and workloads are not labelled yet, a verification result is already consumed). A
 * write refused for longer than that (an admission webhook down with failurePolicy Fail, a policy
 * being rolled out, a long API server outage) then stalled the change for good. Every step is
 * idempotent, so retrying is always safe, and the 30 s ceiling bounds the load a permanently
 * failing CacheMode puts on the API server to one attempt per 30 s.
 */
final class ReconcileRetry {
  static final Duration FIRST = Duration.ofSeconds(2);
  static final Duration LONGEST = Duration.ofSeconds(30);

  private ReconcileRetry() {}

  static GenericRetry policy() {
    return new GenericRetry()
        .setInitialInterval(FIRST)
        .setIntervalMultiplier(2)
        .setMaxInterval(LONGEST.toMillis())
        .withoutMaxAttempts();
  }
}
