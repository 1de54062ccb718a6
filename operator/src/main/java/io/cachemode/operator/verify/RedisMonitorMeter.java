package io.cachemode.operator.verify;

import java.time.Instant;

/**
 * Counts GETs with MONITOR samples, for servers without a usable counter (Upstash through Fly.io).
 * There is nothing to capture when the window opens; the baseline and the after-rate are each one
 * bounded sample ({@link MonitorSampler}), so both calls block for the sample window.
 */
final class RedisMonitorMeter implements RequestMeter {

  private final MonitorSampler sampler;
  private final String why;

  /**
   * @param why why MONITOR is used, the start of every rate's reason
   */
  RedisMonitorMeter(MonitorSampler sampler, String why) {
    this.sampler = sampler;
    this.why = why;
  }

  @Override
  public String source() {
    return RequestMeterFactory.REDIS;
  }

  @Override
  public Timing baselineTiming() {
    return Timing.sample(sampler.window());
  }

  @Override
  public Measurement baseline(Instant now) {
    return sampler.sample(now, why);
  }

  @Override
  public WindowStart startWindow(Instant now) {
    return WindowStart.Opened.withoutCounter(now, MonitorSampler.METHOD);
  }

  @Override
  public Timing afterWindowTiming(WindowStart start) {
    return start instanceof WindowStart.Unavailable ? Timing.instant() : baselineTiming();
  }

  @Override
  public Measurement afterWindow(WindowStart start, Instant now) {
    if (start instanceof WindowStart.Unavailable unavailable) {
      return unavailable.failure();
    }
    return sampler.sample(now, why);
  }
}
