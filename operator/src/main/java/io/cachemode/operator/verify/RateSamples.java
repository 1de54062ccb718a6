package io.cachemode.operator.verify;

import io.cachemode.operator.api.RateSample;
import io.cachemode.operator.support.Durations;

/** A measured rate as status shows it: per minute and per day, how and why it was counted. */
public final class RateSamples {
  private RateSamples() {}

  public static RateSample of(Measurement.Rate r) {
    RateSample out = new RateSample();
    out.setPerMinute(Math.round(r.perMinute() * 10) / 10.0);
    out.setPerDay(Math.round(r.perMinute() * 1440));
    out.setWindow(Durations.format(r.window()));
    out.setMethod(r.method());
    out.setReason(r.reason().isEmpty() ? null : r.reason());
    out.setCapped(r.capped() ? Boolean.TRUE : null);
    out.setSampledAt(r.sampledAt().toString());
    return out;
  }
}
