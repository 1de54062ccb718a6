package io.cachemode.operator.verify;

import io.cachemode.operator.api.RequestVerdict;
import java.util.Locale;

/**
 * Judges whether GET traffic fell enough after a suspend.
 *
 * <p>Rules, in order:
 *
 * <ol>
 *   <li>When activating, nothing is judged: the verdict is null and the message describes the
 *       change (DESIGN: expectReductionPercent is only judged when suspending).
 *   <li>A failed measurement is Inconclusive, with its message.
 *   <li>A before and an after counted by different methods (e.g. cmdstat_get and MONITOR) are not
 *       compared: Inconclusive.
 *   <li>Before 0 and after 0: Reduced; there was no GET traffic to remove, and none came back.
 *   <li>Before 0 and after above 0: NotReduced; traffic rose, so it certainly did not fall. The
 *       percentage is undefined and left null.
 *   <li>Otherwise Reduced when {@code after <= before * (100 - expect) / 100}, else NotReduced.
 *   <li>An after-sample that ended at its line cap can be NotReduced but never Reduced: that would
 *       be Inconclusive.
 * </ol>
 *
 * A NaN cannot reach these rules: {@link Measurement.Rate} rejects it, and the meters report it as
 * a {@link FailureKind#NotANumber} failure.
 */
public final class RequestVerdicts {

  private RequestVerdicts() {}

  /**
   * @param verdict null when not judged (activating)
   * @param deltaPercent change from before to after in percent, negative when traffic fell; null
   *     when undefined (a failed measurement, or no traffic before)
   * @param message how the verdict was reached
   */
  public record Judgement(RequestVerdict verdict, Double deltaPercent, String message) {}

  public static Judgement judge(
      Measurement before, Measurement after, boolean suspending, int expectReductionPercent) {
    if (expectReductionPercent < 0 || expectReductionPercent > 100) {
      throw new IllegalArgumentException(
          "expectReductionPercent must be 0..100, got " + expectReductionPercent);
    }
    RequestVerdict inconclusive = suspending ? RequestVerdict.Inconclusive : null;
    String prefix = suspending ? "" : "not judged when activating; ";
    if (before instanceof Measurement.Failure failed) {
      return new Judgement(inconclusive, null, prefix + "before: " + failed.message());
    }
    if (after instanceof Measurement.Failure failed) {
      return new Judgement(inconclusive, null, prefix + "after: " + failed.message());
    }
    Measurement.Rate beforeRate = (Measurement.Rate) before;
    Measurement.Rate afterRate = (Measurement.Rate) after;
    if (!beforeRate.method().equals(afterRate.method())) {
      return new Judgement(
          inconclusive,
          null,
          prefix
              + "before was counted with "
              + beforeRate.method()
              + ", after with "
              + afterRate.method()
              + ": not comparable");
    }
    double b = beforeRate.perMinute();
    double a = afterRate.perMinute();
    Double delta = b > 0 ? (a - b) / b * 100 : null;
    String change = "GET rate went from " + perMinute(b) + " to " + perMinute(a);
    if (!suspending) {
      return new Judgement(null, delta, prefix + change);
    }
    if (b == 0) {
      return a == 0
          ? reducedUnlessCapped(
              afterRate, null, "no GET traffic before or after: nothing to reduce")
          : new Judgement(RequestVerdict.NotReduced, null, change + ": it rose from nothing");
    }
    // Multiplying instead of dividing keeps exact boundaries exact (100 -> 5 is exactly 95%).
    boolean reduced = a * 100 <= b * (100 - expectReductionPercent);
    String message =
        change
            + " ("
            + percent(delta)
            + "), expected a fall of at least "
            + expectReductionPercent
            + "%";
    return reduced
        ? reducedUnlessCapped(afterRate, delta, message)
        : new Judgement(RequestVerdict.NotReduced, delta, message);
  }

  private static Judgement reducedUnlessCapped(
      Measurement.Rate after, Double delta, String message) {
    return after.capped()
        ? new Judgement(
            RequestVerdict.Inconclusive,
            delta,
            message + ", but the after-sample ended at its line cap, so a fall is not proven")
        : new Judgement(RequestVerdict.Reduced, delta, message);
  }

  private static String perMinute(double rate) {
    return String.format(Locale.ROOT, "%.2f/min", rate);
  }

  private static String percent(double delta) {
    return String.format(Locale.ROOT, "%+.1f%%", delta);
  }
}
