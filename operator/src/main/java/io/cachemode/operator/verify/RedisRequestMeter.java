package io.cachemode.operator.verify;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Reads {@code cmdstat_get} from {@code INFO commandstats} and {@code uptime_in_seconds} from
 * {@code INFO server}, over one short-lived connection per call. The meter itself sends no GET, so
 * it does not disturb what it measures.
 *
 * <p>Limit: {@code CONFIG RESETSTAT} during a window is only detected while the counter is still
 * below its value at the window start; a reset followed by more GETs than before is invisible to a
 * counter.
 */
public final class RedisRequestMeter implements RequestMeter {

  static final String SOURCE = "redis";
  private static final String CLIENT_NAME = "cachemode-operator";
  // Uptime has one-second resolution and is read a moment after the operator's clock.
  private static final long RESTART_SLACK_SECONDS = 2;

  private final HostAndPort address;
  private final JedisClientConfig config;
  private final Duration timeout;
  private final String password;

  /**
   * @param url {@code redis://[[user]:password@]host[:port][/db]} or {@code rediss://...}; check it
   *     with {@link #isUsableUrl(URI)} first
   * @param timeout connect and read timeout of each call
   */
  public RedisRequestMeter(URI url, Duration timeout) {
    if (!isUsableUrl(url)) {
      throw new IllegalArgumentException("not a redis:// or rediss:// URL with a host");
    }
    this.address = JedisURIHelper.getHostAndPort(url);
    this.password = JedisURIHelper.getPassword(url);
    this.timeout = timeout;
    int millis = Math.toIntExact(timeout.toMillis());
    this.config =
        DefaultJedisClientConfig.builder()
            .user(JedisURIHelper.getUser(url))
            .password(password)
            .database(JedisURIHelper.getDBIndex(url))
            .ssl(JedisURIHelper.isRedisSSLScheme(url))
            .connectionTimeoutMillis(millis)
            .socketTimeoutMillis(millis)
            .clientName(CLIENT_NAME)
            .build();
  }

  /** Whether {@code url} names a Redis server this meter can reach. */
  public static boolean isUsableUrl(URI url) {
    return url != null
        && (JedisURIHelper.isRedisScheme(url) || JedisURIHelper.isRedisSSLScheme(url))
        && url.getHost() != null;
  }

  @Override
  public String source() {
    return SOURCE;
  }

  /**
   * All GETs since the server started divided by its uptime: available at once, but it smooths over
   * any recent change, which {@link Measurement.Rate#window()} makes visible.
   */
  @Override
  public Measurement baseline(Instant now) {
    return read(
        snapshot -> {
          if (snapshot.uptimeSeconds() == 0) {
            return new Measurement.Failure(
                FailureKind.NoData, where() + " started less than a second ago");
          }
          return new Measurement.Rate(
              snapshot.getCalls() * 60.0 / snapshot.uptimeSeconds(),
              Duration.ofSeconds(snapshot.uptimeSeconds()),
              "average since server start",
              now);
        },
        failure -> failure);
  }

  @Override
  public WindowStart startWindow(Instant now) {
    return read(
        snapshot -> new WindowStart.Opened(now, snapshot.getCalls(), snapshot.uptimeSeconds()),
        failure -> new WindowStart.Unavailable(now, failure));
  }

  @Override
  public Measurement afterWindow(WindowStart start, Instant now) {
    if (start instanceof WindowStart.Unavailable unavailable) {
      return unavailable.failure();
    }
    WindowStart.Opened opened = (WindowStart.Opened) start;
    if (opened.counter() == null || opened.uptimeSeconds() == null) {
      return new Measurement.Failure(
          FailureKind.Misconfigured, "the window start holds no Redis GET counter");
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
          where()
              + " restarted during the window (up "
              + now.uptimeSeconds()
              + "s, window "
              + elapsed.toSeconds()
              + "s)");
    }
    if (now.getCalls() < start.counter()) {
      return new Measurement.Failure(
          FailureKind.CounterReset,
          "GET counter of "
              + where()
              + " fell from "
              + start.counter()
              + " to "
              + now.getCalls()
              + " during the window (CONFIG RESETSTAT?)");
    }
    double minutes = elapsed.toMillis() / 60_000.0;
    return new Measurement.Rate(
        (now.getCalls() - start.counter()) / minutes, elapsed, "GET counter delta", sampledAt);
  }

  private record Snapshot(long getCalls, long uptimeSeconds) {}

  private <T> T read(Function<Snapshot, T> onSnapshot, Function<Measurement.Failure, T> onFailure) {
    String commandstats;
    String server;
    try (Jedis jedis = new Jedis(address, config)) {
      commandstats = jedis.info("commandstats");
      server = jedis.info("server");
    } catch (JedisException e) {
      return onFailure.apply(failureOf(e));
    }
    Optional<RedisInfo.CommandStats> stats = RedisInfo.commandStats(commandstats);
    OptionalLong uptime = RedisInfo.uptimeSeconds(server);
    if (stats.isEmpty() || uptime.isEmpty()) {
      return onFailure.apply(
          new Measurement.Failure(
              FailureKind.Malformed, where() + " answered INFO in an unexpected format"));
    }
    // Upstash answers only the heading for sections it does not support; reading that as
    // "0 GETs" would make any suspend look successful.
    if (stats.get().calls().isEmpty()) {
      return onFailure.apply(
          new Measurement.Failure(
              FailureKind.NoData, where() + " reports no command statistics (INFO commandstats)"));
    }
    return onSnapshot.apply(new Snapshot(stats.get().callsOf("get"), uptime.getAsLong()));
  }

  private Measurement.Failure failureOf(JedisException e) {
    if (e instanceof JedisConnectionException) {
      return new Measurement.Failure(
          FailureKind.Unreachable,
          where()
              + ": "
              + NetworkErrors.describe(e, address.getHost(), address.getPort(), timeout));
    }
    String reply = redact(String.valueOf(e.getMessage()));
    String code = reply.split(" ", 2)[0].toUpperCase(Locale.ROOT);
    if (e instanceof JedisAccessControlException
        || code.equals("WRONGPASS")
        || code.equals("NOAUTH")
        || code.equals("NOPERM")) {
      return new Measurement.Failure(
          FailureKind.Unauthorized, where() + " rejected the credentials (" + code + ")");
    }
    if (e instanceof JedisDataException) {
      return new Measurement.Failure(
          FailureKind.ServerError, where() + " answered an error: " + reply);
    }
    return new Measurement.Failure(FailureKind.Unreachable, where() + ": " + reply);
  }

  // Server and client messages are not ours; a password must not leave through them.
  private String redact(String message) {
    return password == null || password.isEmpty() ? message : message.replace(password, "***");
  }

  private String where() {
    return "Redis at " + address.getHost() + ":" + address.getPort();
  }
}
