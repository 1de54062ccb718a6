package io.cachemode.operator.reconcile;

import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.HealthCheckStatus;
import io.cachemode.operator.api.RequestsStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Health checks and request measurements of a change, as the transition driver needs them. */
public interface Verification {

  /**
   * Runs every configured health check once (with its attempts); empty when none are configured.
   */
  List<HealthCheckStatus> health(CacheMode cm);

  /** The GET rate before anything is written, or empty when no request metrics are configured. */
  Optional<RequestsStatus> baseline(CacheMode cm);

  /**
   * Progress of the after-rollout observation window for change {@code flagHash}: either time still
   * to wait, or the finished measurement judged against the baseline in {@code before}.
   */
  WindowProgress afterRollout(CacheMode cm, String flagHash, RequestsStatus before);

  /**
   * Either the window is still open ({@code remaining}) or the judged result is ready ({@code
   * result}).
   */
  record WindowProgress(Optional<Duration> remaining, Optional<RequestsStatus> result) {
    public static WindowProgress waiting(Duration remaining) {
      return new WindowProgress(Optional.of(remaining), Optional.empty());
    }

    public static WindowProgress done(RequestsStatus result) {
      return new WindowProgress(Optional.empty(), Optional.of(result));
    }
  }
}
