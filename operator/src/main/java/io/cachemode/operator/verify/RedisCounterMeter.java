package io.cachemode.operator.verify;

import io.cachemode.operator.support.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.function.Function;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Counts GETs with a lifetime counter of the server ({@link RedisCounter}), over one short-lived
 * connection per call that sends two INFO commands and nothing else, so the meter does not disturb
 * what it measures.
 *
 * <p>Limit: {@code CONFIG RESETSTAT} during a window is only detected while the counter is still
 * below its value at the window start; a reset followed by more GETs than before is invisible to a
 * counter.
 */
final class RedisCounterMeter implements RequestMeter {

  // Uptime has one-second resolution and is read a moment after the operator's clock.
  private static final long RESTART_SLACK_SECONDS = 2;

  private final RedisConnections connections;
  private final RedisCounter counter;
  private final String why;

  /**
   * @param why why this counter is used, the start of every rate's reason
   */
  RedisCounterMeter(RedisConnections connections, RedisCounter counter, String why) {
    this.connections = connections;
    this.counter = counter;
    this.why = why;
  }

  @Override
  public String source() {
    return RequestMeterFactory.REDIS;
  }

  @Override
  public Timing baselineTiming() {
    return Timing.instant();
  }

  /**
   * The counter since the server started divided by its uptime: available at once, but it smooths
   * over any recent change, which {@link Measurement.Rate#window()} makes visible.
   */
  @Override
  public Measurement baseline(Instant now) {
    return read(
        snapshot -> {
          if (snapshot.uptimeSeconds() == 0) {
            return new Measurement.Failure(
                FailureKind.NoData, connections.where() + " started less than a second ago");
          }
          Duration uptime = Duration.ofSeconds(snapshot.uptimeSeconds());
          return new Measurement.Rate(
              snapshot.count() * 60.0 / snapshot.uptimeSeconds(),
              uptime,
              counter.name(),
              why
                  + "; "
                  + counter.counted()
                  + " averaged since the server started "
                  + Durations.format(uptime)
                  + " ago",
              now);
        },
        failure -> failure);
  }

  @Override
  public WindowStart startWindow(Instant now) {
    return read(
        snapshot ->
            new WindowStart.Opened(now, counter.name(), snapshot.count(), snapshot.uptimeSeconds()),
        failure -> new WindowStart.Unavailable(now, failure));
  }

  @Override
  public Timing afterWindowTiming(WindowStart start) {
    return Timing.instant();
  }

  @Override
  public Measurement afterWindow(WindowStart start, Instant now) {
    if (start instanceof WindowStart.Unavailable unavailable) {
      return unavailable.failure();
    }
    WindowStart.Opened opened = (WindowStart.Opened) start;
    if (opened.counter() == null
        || opened.uptimeSeconds() == null
        || !counter.name().equals(opened.method())) {
      return new Measurement.Failure(
          FailureKind.Misconfigured,
          "the window start holds no " + counter.label() + " (method " + opened.method() + ")");
    }
    Duration elapsed = Duration.between(opened.at(), now);
    if (elapsed.isNegative() || elapsed.isZero()) {
      return new Measurement.Failure(FailureKind.NoData, "the window has not elapsed");
    }
    return read(snapshot -> delta(opened, snapshot, elapsed, now), failure -> failure);
  }

  private Measurement delta(
      WindowStart.Opened start, Snapshot now, Duration elapsed, Instant sampledAt) {
    long ranSeconds = now.uptimeSeconds() - start.uptimeSeconds();
    if (ranSeconds + RESTART_SLACK_SECONDS < elapsed.toSeconds()) {
      return new Measurement.Failure(
          FailureKind.CounterReset,
          connections.where()
              + " restarted during the window (up "
              + now.uptimeSeconds()
              + "s, window "
              + elapsed.toSeconds()
              + "s)");
    }
    if (now.count() < start.counter()) {
      return new Measurement.Failure(
          FailureKind.CounterReset,
          counter.label()
              + " of "
              + connections.where()
              + " fell from "
              + start.counter()
              + " to "
              + now.count()
              + " during the window (CONFIG RESETSTAT?)");
    }
    double minutes = elapsed.toMillis() / 60_000.0;
    return new Measurement.Rate(
        (now.count() - start.counter()) / minutes,
        elapsed,
        counter.name(),
        why + "; " + counter.counted() + " delta over the window",
        sampledAt);
  }

  private record Snapshot(long count, long uptimeSeconds) {}

  private <T> T read(Function<Snapshot, T> onSnapshot, Function<Measurement.Failure, T> onFailure) {
    String reply;
    String server;
    try (Jedis jedis = connections.jedis()) {
      reply = jedis.info(counter.section());
      server = jedis.info("server");
    } catch (JedisException e) {
      return onFailure.apply(connections.failureOf(e));
    }
    RedisCounter.Reading reading = counter.read(reply, connections.where());
    if (reading.failure() != null) {
      return onFailure.apply(reading.failure());
    }
    OptionalLong uptime = RedisInfo.uptimeSeconds(server);
    if (uptime.isEmpty()) {
      return onFailure.apply(
          new Measurement.Failure(
              FailureKind.Malformed,
              connections.where() + " answered INFO server without uptime_in_seconds"));
    }
    return onSnapshot.apply(new Snapshot(reading.value().getAsLong(), uptime.getAsLong()));
  }
}
