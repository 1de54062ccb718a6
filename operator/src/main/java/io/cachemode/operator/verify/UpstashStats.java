package io.cachemode.operator.verify;

import com.fasterxml.jackson.databind.JsonNode;
import io.cachemode.operator.support.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads GET counts from an Upstash {@code DatabaseStats} reply ({@code GET /v2/redis/stats/{id}}).
 *
 * <p>The GET series is the {@code command_counts} entry whose {@code metric_identifier} is GET;
 * each point is taken as the number of GETs in one bucket. Upstash documents neither the bucket
 * width nor whether a timestamp marks a bucket's start or end, so the width is the median spacing
 * of the points and only buckets that lie inside the window under either reading count: a bucket at
 * {@code x} is used when {@code x - width >= from} and {@code x + width <= to}. A window shorter
 * than three buckets therefore has no data rather than a biased rate. Without a GET series, {@code
 * dailyrequests} (all commands, one-day buckets) stands in, and the method says so.
 *
 * <p>Parsing is lenient: unknown fields are ignored, and points with a null or unreadable {@code x}
 * or {@code y} are skipped.
 */
final class UpstashStats {

  static final String GET_SERIES = "Upstash command_counts GET";
  static final String DAILY_SERIES = "Upstash dailyrequests (all commands: no GET series)";

  // Go's time.String(): "2025-08-31 15:12:52.799480932 +0000 UTC", possibly with a monotonic
  // clock reading appended ("m=+0.000123").
  private static final Pattern GO_TIME =
      Pattern.compile(
          "^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})? [+-]\\d{4})(?: [A-Za-z0-9+-]+)?(?: m=[+-]?[0-9.]+)?$");
  private static final DateTimeFormatter GO_TIME_FORMAT =
      new DateTimeFormatterBuilder()
          .appendPattern("yyyy-MM-dd HH:mm:ss")
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .appendPattern(" xx")
          .toFormatter(Locale.ROOT);

  private UpstashStats() {}

  record Point(Instant at, double count) {}

  /**
   * A count series.
   *
   * @param bucket the width of one point's bucket; null when it cannot be told (fewer than two
   *     points)
   */
  record Series(String method, List<Point> points, Duration bucket) {
    Series {
      points = points.stream().sorted(Comparator.comparing(Point::at)).toList();
    }
  }

  /** The GET series if the reply has one, else the daily-requests series (possibly empty). */
  static Series series(JsonNode stats) {
    for (JsonNode entry : stats.path("command_counts")) {
      if (entry.path("metric_identifier").asText("").equalsIgnoreCase("GET")) {
        List<Point> points = points(entry.path("data_points"));
        return new Series(GET_SERIES, points, medianSpacing(points));
      }
    }
    return new Series(DAILY_SERIES, points(stats.path("dailyrequests")), Duration.ofDays(1));
  }

  /** GETs per minute over the complete buckets in {@code [from, to]}. */
  static Measurement rate(JsonNode stats, Instant from, Instant to) {
    if (!stats.isObject()) {
      return new Measurement.Failure(FailureKind.Malformed, "Upstash stats reply is not an object");
    }
    Series series = series(stats);
    if (series.points().isEmpty()) {
      return new Measurement.Failure(
          FailureKind.NoData, series.method() + " has no usable data points");
    }
    if (series.bucket() == null) {
      return new Measurement.Failure(
          FailureKind.NoData,
          series.method() + " has a single data point, so its bucket width is unknown");
    }
    Duration bucket = series.bucket();
    List<Point> inside =
        series.points().stream()
            .filter(p -> !p.at().minus(bucket).isBefore(from) && !p.at().plus(bucket).isAfter(to))
            .toList();
    if (inside.isEmpty()) {
      return new Measurement.Failure(
          FailureKind.NoData,
          series.method()
              + " has no complete "
              + Durations.format(bucket)
              + " bucket inside the window ending "
              + to);
    }
    Duration covered = Duration.between(inside.get(0).at(), inside.get(inside.size() - 1).at());
    covered = covered.plus(bucket);
    double count = inside.stream().mapToDouble(Point::count).sum();
    return new Measurement.Rate(
        count / (covered.toMillis() / 60_000.0),
        covered,
        series.method(),
        inside.size()
            + (inside.size() == 1 ? " complete bucket of " : " complete buckets of ")
            + Durations.format(bucket)
            + " inside the window",
        to);
  }

  /** Parses Go's time.String() form, and RFC 3339 for good measure. */
  static Optional<Instant> parseTime(String text) {
    Matcher go = GO_TIME.matcher(text.strip());
    try {
      if (go.matches()) {
        return Optional.of(OffsetDateTime.parse(go.group(1), GO_TIME_FORMAT).toInstant());
      }
      return Optional.of(OffsetDateTime.parse(text.strip()).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static List<Point> points(JsonNode array) {
    List<Point> points = new ArrayList<>();
    for (JsonNode point : array) {
      JsonNode x = point.path("x");
      JsonNode y = point.path("y");
      if (!x.isTextual() || !y.isNumber() || y.asDouble() < 0 || !Double.isFinite(y.asDouble())) {
        continue;
      }
      parseTime(x.textValue()).ifPresent(at -> points.add(new Point(at, y.asDouble())));
    }
    return points;
  }

  private static Duration medianSpacing(List<Point> points) {
    List<Instant> times = points.stream().map(Point::at).distinct().sorted().toList();
    if (times.size() < 2) {
      return null;
    }
    List<Duration> gaps = new ArrayList<>();
    for (int i = 1; i < times.size(); i++) {
      gaps.add(Duration.between(times.get(i - 1), times.get(i)));
    }
    gaps.sort(Comparator.naturalOrder());
    return gaps.get(gaps.size() / 2);
  }
}
