package io.cachemode.operator.targets.fly;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryAfterTest {
  static final Instant NOW = Instant.parse("2026-11-29T03:00:00Z");

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "2|PT2S",
        "0|PT1S",
        "' 45 '|PT45S",
        "300|PT5M",
        "86400|PT5M",
        "Sun, 29 Nov 2026 03:00:20 GMT|PT20S",
        "Sun, 29 Nov 2026 02:00:00 GMT|PT1S",
        "Mon, 30 Nov 2026 03:00:00 GMT|PT5M"
      })
  void isReadAndBounded(String header, Duration expected) {
    assertThat(RetryAfter.parse(header, NOW)).contains(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"''", "soon", "-1", "1.5", "99999999999"})
  void unreadableIsEmpty(String header) {
    assertThat(RetryAfter.parse(header, NOW)).isEmpty();
  }
}
