package io.cachemode.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.retry.RetryExecution;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReconcileRetryTest {
  @Test
  void backsOffToThirtySecondsAndNeverGivesUp() {
    RetryExecution retry = ReconcileRetry.policy().initExecution();
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      assertThat(retry.isLastAttempt()).isFalse();
      delays.add(retry.nextDelay().orElseThrow());
    }
    assertThat(delays.subList(0, 7))
        .containsExactly(2000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L);
    assertThat(delays).allSatisfy(d -> assertThat(d).isBetween(2000L, 30000L));
  }

  @Test
  void aTwentySecondOutageCostsAFewAttemptsNotAHotLoop() {
    RetryExecution retry = ReconcileRetry.policy().initExecution();
    long elapsed = 0;
    int attempts = 0;
    while (elapsed < Duration.ofSeconds(20).toMillis()) {
      elapsed += retry.nextDelay().orElseThrow();
      attempts++;
    }
    assertThat(attempts).isEqualTo(5);
  }
}
