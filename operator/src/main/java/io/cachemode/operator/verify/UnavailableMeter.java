package io.cachemode.operator.verify;

import java.time.Instant;

/** Stands in for a meter that could not be built; every call answers the same failure. */
record UnavailableMeter(String source, Measurement.Failure failure) implements RequestMeter {

  @Override
  public Timing baselineTiming() {
    return Timing.instant();
  }

  @Override
  public Measurement baseline(Instant now) {
    return failure;
  }

  @Override
  public WindowStart startWindow(Instant now) {
    return new WindowStart.Unavailable(now, failure);
  }

  @Override
  public Timing afterWindowTiming(WindowStart start) {
    return Timing.instant();
  }

  @Override
  public Measurement afterWindow(WindowStart start, Instant now) {
    return failure;
  }
}
