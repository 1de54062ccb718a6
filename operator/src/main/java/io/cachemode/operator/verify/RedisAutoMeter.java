package io.cachemode.operator.verify;

import io.cachemode.operator.api.RedisCountMethod;
import java.time.Instant;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * {@code method: Auto}: asks {@code INFO commandstats} once per meter (one bounded round trip) and
 * counts with {@code cmdstat_get} or MONITOR as {@link AutoChoice} decides. An after-window always
 * uses the method its window was opened with, so a before and an after are counted alike even
 * across an operator restart.
 */
final class RedisAutoMeter implements RequestMeter {

  private final RedisConnections connections;
  private final RedisMeters meters;
  private AutoChoice.Choice choice;

  RedisAutoMeter(RedisConnections connections, RedisMeters meters) {
    this.connections = connections;
    this.meters = meters;
  }

  @Override
  public String source() {
    return RequestMeterFactory.REDIS;
  }

  @Override
  public Timing baselineTiming() {
    return chosen() instanceof AutoChoice.Use use
        ? meters.forMethod(use.method(), use.why()).baselineTiming()
        : Timing.instant();
  }

  @Override
  public Measurement baseline(Instant now) {
    AutoChoice.Choice c = chosen();
    if (c instanceof AutoChoice.Fail fail) {
      return fail.failure();
    }
    AutoChoice.Use use = (AutoChoice.Use) c;
    return meters.forMethod(use.method(), use.why()).baseline(now);
  }

  @Override
  public WindowStart startWindow(Instant now) {
    AutoChoice.Choice c = chosen();
    if (c instanceof AutoChoice.Fail fail) {
      return new WindowStart.Unavailable(now, fail.failure());
    }
    AutoChoice.Use use = (AutoChoice.Use) c;
    return meters.forMethod(use.method(), use.why()).startWindow(now);
  }

  @Override
  public Timing afterWindowTiming(WindowStart start) {
    return windowMeter(start).afterWindowTiming(start);
  }

  @Override
  public Measurement afterWindow(WindowStart start, Instant now) {
    return windowMeter(start).afterWindow(start, now);
  }

  private RequestMeter windowMeter(WindowStart start) {
    if (start instanceof WindowStart.Opened opened && opened.method() != null) {
      for (RedisCountMethod method : RedisCountMethod.values()) {
        if (method != RedisCountMethod.Auto && method.name().equals(opened.method())) {
          return meters.forMethod(method, "Auto chose " + method + " when the window opened");
        }
      }
    }
    return new UnavailableMeter(
        source(),
        start instanceof WindowStart.Unavailable unavailable
            ? unavailable.failure()
            : new Measurement.Failure(
                FailureKind.Misconfigured, "the window start names no Redis counting method"));
  }

  private AutoChoice.Choice chosen() {
    if (choice == null) {
      choice = AutoChoice.decide(probe());
    }
    return choice;
  }

  private AutoChoice.Probe probe() {
    Connection connection;
    try {
      connection = connections.connect();
    } catch (JedisException e) {
      return new AutoChoice.Failed(connections.failureOf(e));
    }
    try (Jedis jedis = new Jedis(connection)) {
      return new AutoChoice.Answered(jedis.info("commandstats"));
    } catch (JedisConnectionException e) {
      return new AutoChoice.Failed(connections.failureOf(e));
    } catch (JedisDataException e) {
      // Includes NOPERM (an access-control exception): the user is known, the command is not
      // allowed.
      return new AutoChoice.Refused(
          RedisConnections.errorCode(e), connections.redact(String.valueOf(e.getMessage())));
    } catch (JedisException e) {
      return new AutoChoice.Failed(connections.failureOf(e));
    }
  }
}
