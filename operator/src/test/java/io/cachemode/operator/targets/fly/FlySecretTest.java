package io.cachemode.operator.targets.fly;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FlySecretTest {

  /** RFC 3339, or a date-time without zone read as UTC, like flyctl's parseTimestamp. */
  @ParameterizedTest
  @CsvSource({
    "2026-11-29T03:00:01Z,2026-11-29T03:00:01Z",
    "2026-11-29T03:00:01.250Z,2026-11-29T03:00:01.250Z",
    "2026-11-29T04:00:01+01:00,2026-11-29T03:00:01Z",
    "2026-11-29T03:00:01,2026-11-29T03:00:01Z",
    "2026-11-29T03:00:01.999999,2026-11-29T03:00:01.999999Z",
    "yesterday,yesterday"
  })
  void timesBecomeInstants(String fly, String instant) {
    assertThat(FlySecret.instant(fly)).isEqualTo(instant);
  }

  @ParameterizedTest
  @CsvSource({"'{\"name\":\"K\",\"digest\":\"\",\"value\":\"secret\"}'"})
  void anEmptyDigestIsNoneAndAValueIsNeverKept(String json) {
    FlySecret s = FlySecret.from(FakeFlyApi.parse(json));
    assertThat(s.digest()).isNull();
    assertThat(s.toString()).doesNotContain("secret");
  }
}
