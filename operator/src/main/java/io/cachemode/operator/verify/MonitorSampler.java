package io.cachemode.operator.verify;

import io.cachemode.operator.support.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.LongSupplier;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * One MONITOR sample: a dedicated connection that streams every command the server runs, read for
 * at most {@code window} and at most {@code maxLines} lines, then closed. Only counts leave this
 * class; a line is parsed and dropped ({@link MonitorLine}), never stored or logged.
 *
 * <p>The time bound holds without a timer thread: before each read the socket's read timeout is set
 * to the time left, so a quiet server ends the sample by timing out at the deadline.
 */
final class MonitorSampler {

  static final String METHOD = "Monitor";

  private final RedisConnections connections;
  private final Duration window;
  private final long maxLines;
  private final LongSupplier nanoTime;

  MonitorSampler(RedisConnections connections, Duration window, long maxLines) {
    this(connections, window, maxLines, System::nanoTime);
  }

  MonitorSampler(
      RedisConnections connections, Duration window, long maxLines, LongSupplier nanoTime) {
    if (window.isNegative() || window.isZero() || maxLines < 1) {
      throw new IllegalArgumentException("a sample needs a positive window and line cap");
    }
    this.connections = connections;
    this.window = window;
    this.maxLines = maxLines;
    this.nanoTime = nanoTime;
  }

  Duration window() {
    return window;
  }

  /**
   * @param startedAt the caller's clock when the sample starts; the rate is stamped at its end
   * @param why why MONITOR is used, the start of the rate's reason
   */
  Measurement sample(Instant startedAt, String why) {
    Connection connection;
    try {
      connection = connections.connect();
    } catch (JedisException e) {
      return connections.failureOf(e);
    }
    MonitorTally tally = new MonitorTally(connections::isOwnClient);
    boolean capped = false;
    long start;
    long end;
    try (connection) {
      connection.sendCommand(Protocol.Command.MONITOR);
      connection.getStatusCodeReply();
      start = nanoTime.getAsLong();
      long deadline = start + window.toNanos();
      while (true) {
        long remaining = deadline - nanoTime.getAsLong();
        if (remaining <= 0) {
          break;
        }
        connection.setSoTimeout(
            (int) Math.max(1, Math.min(Integer.MAX_VALUE, ceilMillis(remaining))));
        String line;
        try {
          line = connection.getBulkReply();
        } catch (JedisConnectionException e) {
          if (NetworkErrors.isTimeout(e)) {
            break; // nothing more arrived before the deadline
          }
          throw e;
        }
        tally.add(line);
        if (tally.lines() >= maxLines) {
          capped = true;
          break;
        }
      }
      end = nanoTime.getAsLong();
    } catch (JedisAccessControlException e) {
      return new Measurement.Failure(
          FailureKind.Unauthorized,
          connections.where()
              + " does not allow this user MONITOR ("
              + RedisConnections.errorCode(e)
              + ")");
    } catch (JedisDataException e) {
      return new Measurement.Failure(
          FailureKind.Unsupported,
          connections.where()
              + " refused MONITOR: "
              + HttpGet.abbreviate(connections.redact(String.valueOf(e.getMessage()))));
    } catch (JedisException e) {
      return connections.failureOf(e);
    }
    if (tally.lines() > 0 && tally.unreadable() == tally.lines()) {
      return new Measurement.Failure(
          FailureKind.Malformed,
          connections.where() + " streamed " + tally.lines() + " MONITOR lines in no known format");
    }
    Duration elapsed = Duration.ofNanos(Math.max(1, end - start));
    // Status shows whole milliseconds; the rate itself is computed on the exact span.
    Duration shown = Duration.ofMillis(Math.max(1, elapsed.toMillis()));
    return new Measurement.Rate(
        tally.gets() / (elapsed.toNanos() / 60e9),
        shown,
        METHOD,
        why + "; " + describe(tally, shown, capped),
        startedAt.plus(shown),
        capped);
  }

  private String describe(MonitorTally tally, Duration elapsed, boolean capped) {
    String counted =
        String.format(
            Locale.ROOT,
            "counted GETs with MONITOR over %s (%d GET, MGET key, GETEX or GETDEL in %d lines",
            Durations.format(capped ? elapsed : window),
            tally.gets(),
            tally.lines());
    if (tally.own() > 0) {
      counted += ", " + tally.own() + " of the operator's own connections left out";
    }
    counted += ")";
    if (capped) {
      counted +=
          "; the line cap of "
              + maxLines
              + " was reached before the "
              + Durations.format(window)
              + " window ended, so the rate covers only that span";
    }
    return counted;
  }

  private static long ceilMillis(long nanos) {
    return (nanos + 999_999) / 1_000_000;
  }
}
