package io.cachemode.operator.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachemode.operator.api.RequestVerdict;
import io.cachemode.operator.verify.RequestVerdicts.Judgement;
import java.time.Duration;
import java.time.Instant;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class RequestVerdictsTest {

  private static Measurement rate(double perMinute) {
    return new Measurement.Rate(perMinute, Duration.ofMinutes(5), "test", "", Instant.EPOCH);
  }

  private static Measurement.Rate capped(double perMinute) {
    return new Measurement.Rate(
        perMinute, Duration.ofSeconds(12), "test", "cap reached", Instant.EPOCH, true);
  }

  private static final Measurement NO_DATA =
      new Measurement.Failure(FailureKind.NoData, "the query returned no series");

  @Test
  void reductionAtExactlyTheExpectedPercentIsReduced() {
    Judgement j = RequestVerdicts.judge(rate(100), rate(5), true, 95, true);

    assertThat(j.verdict()).isEqualTo(RequestVerdict.Reduced);
    assertThat(j.deltaPercent()).isCloseTo(-95.0, Offset.offset(1e-9));
    assertThat(j.message())
        .isEqualTo(
            "GET rate went from 100.00/min to 5.00/min (-95.0%), expected a fall of at least 95%");
  }

  @Test
  void justShortOfTheExpectedPercentIsNotReduced() {
    Judgement j = RequestVerdicts.judge(rate(100), rate(5.01), true, 95, true);

    assertThat(j.verdict()).isEqualTo(RequestVerdict.NotReduced);
  }

  @Test
  void aRiseIsNotReduced() {
    Judgement j = RequestVerdicts.judge(rate(100), rate(120), true, 0, true);

    assertThat(j.verdict()).isEqualTo(RequestVerdict.NotReduced);
    assertThat(j.deltaPercent()).isEqualTo(20.0);
  }

  @Test
  void aFailedAfterMeasurementIsInconclusiveWithItsMessage() {
    assertThat(RequestVerdicts.judge(rate(100), NO_DATA, true, 95, true))
        .isEqualTo(
            new Judgement(
                RequestVerdict.Inconclusive, null, "after: the query returned no series"));
  }

  @Test
  void withoutABaselineOnlyZeroGetsAfterSuspendingCountAsReduced() {
    assertThat(RequestVerdicts.judge(NO_DATA, rate(0), true, 95, true).verdict())
        .isEqualTo(RequestVerdict.Reduced);
    Judgement some = RequestVerdicts.judge(NO_DATA, rate(4), true, 95, true);
    assertThat(some.verdict()).isEqualTo(RequestVerdict.Inconclusive);
    assertThat(some.message()).contains("a fall cannot be told");
  }

  @Test
  void noTrafficBeforeOrAfterIsReducedWithoutAPercentage() {
    assertThat(RequestVerdicts.judge(rate(0), rate(0), true, 95, true))
        .isEqualTo(
            new Judgement(
                RequestVerdict.Reduced, null, "no GET traffic before or after: nothing to reduce"));
  }

  @Test
  void trafficFromNothingIsNotReducedWithoutAPercentage() {
    Judgement j = RequestVerdicts.judge(rate(0), rate(3), true, 95, true);

    assertThat(j.verdict()).isEqualTo(RequestVerdict.NotReduced);
    assertThat(j.deltaPercent()).isNull();
  }

  @Test
  void activatingExpectsGetsToComeBackWithoutNeedingABaseline() {
    assertThat(RequestVerdicts.judge(rate(10), rate(100), false, 95, true))
        .isEqualTo(
            new Judgement(
                RequestVerdict.Resumed,
                900.0,
                "GET rate went from 10.00/min to 100.00/min: GETs came back"));
    assertThat(RequestVerdicts.judge(NO_DATA, rate(0), false, 95, true).verdict())
        .isEqualTo(RequestVerdict.NotResumed);
    assertThat(RequestVerdicts.judge(rate(10), NO_DATA, false, 95, true).verdict())
        .isEqualTo(RequestVerdict.Inconclusive);
  }

  @Test
  void activatingIsNotJudgedWhenResumeIsNotExpected() {
    assertThat(RequestVerdicts.judge(rate(10), rate(100), false, 95, false))
        .isEqualTo(
            new Judgement(
                null,
                900.0,
                "not judged when activating; GET rate went from 10.00/min to 100.00/min"));
    assertThat(RequestVerdicts.judge(rate(10), NO_DATA, false, 95, false).verdict()).isNull();
  }

  @Test
  void nanCannotBecomeARate() {
    assertThatThrownBy(() -> rate(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> rate(Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> rate(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsAnImpossibleExpectation() {
    assertThatThrownBy(() -> RequestVerdicts.judge(rate(1), rate(0), true, 101, true))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ratesCountedByDifferentMethodsAreNotCompared() {
    Measurement before =
        new Measurement.Rate(100, Duration.ofHours(1), "CommandStats", "", Instant.EPOCH);
    Measurement after =
        new Measurement.Rate(0, Duration.ofMinutes(1), "Monitor", "", Instant.EPOCH);

    assertThat(RequestVerdicts.judge(before, after, true, 95, true))
        .isEqualTo(
            new Judgement(
                RequestVerdict.Inconclusive,
                null,
                "before was counted with CommandStats, after with Monitor: not comparable"));
  }

  @Test
  void aCappedAfterSampleCanDisproveButNeverProveAFall() {
    Judgement fell = RequestVerdicts.judge(rate(100), capped(1), true, 95, true);
    Judgement rose = RequestVerdicts.judge(rate(100), capped(500), true, 95, true);
    Judgement nothing = RequestVerdicts.judge(rate(0), capped(0), true, 95, true);

    assertThat(fell.verdict()).isEqualTo(RequestVerdict.Inconclusive);
    assertThat(fell.message())
        .endsWith("but the after-sample ended at its line cap, so a fall is not proven");
    assertThat(rose.verdict()).isEqualTo(RequestVerdict.NotReduced);
    assertThat(nothing.verdict()).isEqualTo(RequestVerdict.Inconclusive);
  }
}
