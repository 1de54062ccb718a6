package io.cachemode.operator.verify;

import io.cachemode.operator.api.RequestVerdict;
import java.util.Locale;

/**
 * Judges what the GET rate says about a change.
 *
 * <p>Suspending, in order:
 *
 * <ol>
 *   <li>A failed after-measurement is Inconclusive, with its message.
 *   <li>No baseline but no GETs after: Reduced; whatever the app sent before, it sends none now.
 *   <li>No baseline and GETs after: Inconclusive; a fall cannot be told without a before.
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
 * <p>Activating: the app should use Redis again, so GETs must come back: Resumed when the
 * after-rate is above zero, NotResumed at zero, Inconclusive without a measurement. The baseline is
 * not needed. With {@code expectResumed} off nothing is judged (verdict null).
 *
 * <p>A NaN cannot reach these rules: {@link Measurement.Rate} rejects it, and the meters report it
 * as a {@link FailureKind#NotANumber} failure.
 */
public final class RequestVerdicts {

  private RequestVerdicts() {}

  /**
   * @param verdict null when not judged (activating with expectResumed off)
   * @param deltaPercent change from before to after in percent, negative when traffic fell; null
   *     when undefined (a failed measurement, or no traffic before)
   * @param message how the verdict was reached
   */
  public record Judgement(RequestVerdict verdict, Double deltaPercent, String message) {}

  public static Judgement judge(
      Measurement before,
      Measurement after,
      boolean suspending,
      int expectReductionPercent,
      boolean expectResumed) {
    if (expectReductionPercent < 0 || expectReductionPercent > 100) {
      throw new IllegalArgumentException(
          "expectReductionPercent must be 0..100, got " + expectReductionPercent);
    }
    if (after instanceof Measurement.Failure failed) {
      return suspending || expectResumed
          ? new Judgement(RequestVerdict.Inconclusive, null, "after: " + failed.message())
          : new Judgement(null, null, "not judged when activating; after: " + failed.message());
    }
    Measurement.Rate afterRate = (Measurement.Rate) after;
    double a = afterRate.perMinute();
    Measurement.Rate beforeRate = before instanceof Measurement.Rate r ? r : null;
    if (beforeRate != null && !beforeRate.method().equals(afterRate.method())) {
      String why =
          "before was counted with "
              + beforeRate.method()
              + ", after with "
              + afterRate.method()
              + ": not comparable";
      return suspending || expectResumed
          ? new Judgement(RequestVerdict.Inconclusive, null, why)
          : new Judgement(null, null, "not judged when activating; " + why);
    }
    Double b = beforeRate == null ? null : beforeRate.perMinute();
    Double delta = b != null && b > 0 ? (a - b) / b * 100 : null;
    String change =
        b == null
            ? "GET rate after the change: " + perMinute(a) + " (no baseline)"
            : "GET rate went from " + perMinute(b) + " to " + perMinute(a);
    if (!suspending) {
      if (!expectResumed) {
        return new Judgement(null, delta, "not judged when activating; " + change);
      }
      return a > 0
          ? new Judgement(RequestVerdict.Resumed, delta, change + ": GETs came back")
          : new Judgement(
              RequestVerdict.NotResumed, delta, change + ": no GETs since the app was activated");
    }
    if (b == null) {
      String why = ((Measurement.Failure) before).message();
      return a == 0
          ? reducedUnlessCapped(
              afterRate, null, change + ": no GETs after suspending (before: " + why + ")")
          : new Judgement(
              RequestVerdict.Inconclusive,
              null,
              change + "; before: " + why + ", so a fall cannot be told");
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
