package io.cachemode.operator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UpstashStatsTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The example of the reference sheet, section 1.4 (values invented there). */
  static final String REFERENCE_EXAMPLE =
      """
      { "daily_net_commands": 1834211, "daily_read_requests": 1833990, "daily_write_requests": 221,
        "dailyrequests": [ {"x":"2026-09-01 00:00:00 +0000 UTC","y":2203114}, {"x":"2026-09-02 00:00:00 +0000 UTC","y":41022} ],
        "days": ["Tuesday","Wednesday"],
        "read": [ {"x":"2026-09-02 10:00:10 +0000 UTC","y":25.4} ], "write": [ {"x":"2026-09-02 10:00:10 +0000 UTC","y":0.1} ],
        "throughput": [ {"x":"2026-09-02 10:00:10 +0000 UTC","y":25.5} ],
        "command_counts": [ {"metric_identifier":"GET", "data_points":[{"x":"2026-09-02 10:00:00 +0000 UTC","y":91500}]} ],
        "bandwidths": [ {"x":"2026-09-02 00:00:00 +0000 UTC","y":1048576} ], "dailybandwidth": 1048576,
        "dailybilling": [ {"x":"2026-09-02 00:00:00 +0000 UTC","y":0.08} ], "keyspace": [ {"x":"2026-09-02 10:00:10 +0000 UTC","y":12} ],
        "hits": [], "misses": [], "connection_count": [], "diskusage": [],
        "total_monthly_requests": 6443004, "total_monthly_read_requests": 6442300, "total_monthly_write_requests": 704,
        "total_monthly_script_requests": 0, "total_monthly_bandwidth": 3145728, "total_monthly_storage": 4096, "current_storage": 4096,
        "total_monthly_billing": 12.88, "queue_optimized": false }
      """;

  /** Ten one-minute GET buckets: 600 GETs each until 10:04, 6 each from 10:05 (the suspend). */
  static final String MINUTE_SERIES =
      """
      { "command_counts": [
          {"metric_identifier":"EXISTS","data_points":[{"x":"2026-09-02 10:00:00 +0000 UTC","y":5}]},
          {"metric_identifier":"GET","data_points":[
            {"x":"2026-09-02 10:09:00 +0000 UTC","y":6},
            {"x":"2026-09-02 10:00:00 +0000 UTC","y":600}, {"x":"2026-09-02 10:01:00 +0000 UTC","y":600},
            {"x":"2026-09-02 10:02:00 +0000 UTC","y":600}, {"x":"2026-09-02 10:03:00 +0000 UTC","y":600},
            {"x":"2026-09-02 10:04:00 +0000 UTC","y":600}, {"x":"2026-09-02 10:05:00 +0000 UTC","y":6},
            {"x":"2026-09-02 10:06:00 +0000 UTC","y":6}, {"x":"2026-09-02 10:07:00 +0000 UTC","y":6},
            {"x":"2026-09-02 10:08:00 +0000 UTC","y":6} ]} ],
        "dailyrequests": [ {"x":"2026-09-01 00:00:00 +0000 UTC","y":2203114} ] }
      """;

  private static final Instant NOW = Instant.parse("2026-09-02T10:10:30Z");

  @Test
  void parsesGoTimeStrings() {
    assertThat(UpstashStats.parseTime("2025-08-31 15:12:52.799480932 +0000 UTC"))
        .hasValue(Instant.parse("2025-08-31T15:12:52.799480932Z"));
    assertThat(UpstashStats.parseTime("2026-09-02 10:00:00 +0000 UTC"))
        .hasValue(Instant.parse("2026-09-02T10:00:00Z"));
    assertThat(UpstashStats.parseTime("2026-09-02 12:00:00.5 +0200 CEST"))
        .hasValue(Instant.parse("2026-09-02T10:00:00.5Z"));
    assertThat(UpstashStats.parseTime("2026-09-02 10:00:00 +0000 UTC m=+0.000123001"))
        .hasValue(Instant.parse("2026-09-02T10:00:00Z"));
    assertThat(UpstashStats.parseTime("2026-09-02T10:00:00Z"))
        .hasValue(Instant.parse("2026-09-02T10:00:00Z"));
    assertThat(UpstashStats.parseTime("yesterday")).isEmpty();
  }

  @Test
  void referenceExampleHasASingleGetPointSoNoBucketWidth() throws Exception {
    JsonNode stats = MAPPER.readTree(REFERENCE_EXAMPLE);

    UpstashStats.Series series = UpstashStats.series(stats);
    assertThat(series.method()).isEqualTo(UpstashStats.GET_SERIES);
    assertThat(series.points())
        .containsExactly(new UpstashStats.Point(Instant.parse("2026-09-02T10:00:00Z"), 91500));
    assertThat(series.bucket()).isNull();

    assertThat(UpstashStats.rate(stats, Instant.EPOCH, NOW))
        .isEqualTo(
            new Measurement.Failure(
                FailureKind.NoData,
                "Upstash command_counts GET has a single data point, so its bucket width is"
                    + " unknown"));
  }

  @Test
  void baselineUsesEveryCompleteGetBucket() throws Exception {
    Measurement rate = UpstashStats.rate(MAPPER.readTree(MINUTE_SERIES), Instant.EPOCH, NOW);

    // (5 * 600 + 5 * 6) GETs over 10 one-minute buckets
    assertThat(rate)
        .isEqualTo(
            new Measurement.Rate(
                303.0,
                Duration.ofMinutes(10),
                "Upstash command_counts GET",
                "10 complete buckets of 1m inside the window",
                NOW));
  }

  @Test
  void windowCountsOnlyBucketsInsideItUnderEitherTimestampReading() throws Exception {
    Instant start = Instant.parse("2026-09-02T10:04:00Z");

    Measurement rate = UpstashStats.rate(MAPPER.readTree(MINUTE_SERIES), start, NOW);

    // 10:04 may hold traffic from before the start, and 10:10 is not complete: 10:05..10:09 remain.
    assertThat(rate)
        .isEqualTo(
            new Measurement.Rate(
                6.0,
                Duration.ofMinutes(5),
                "Upstash command_counts GET",
                "5 complete buckets of 1m inside the window",
                NOW));
  }

  @Test
  void windowShorterThanBucketsIsNoData() throws Exception {
    Measurement rate =
        UpstashStats.rate(
            MAPPER.readTree(MINUTE_SERIES), Instant.parse("2026-09-02T10:09:30Z"), NOW);

    assertThat(rate).isInstanceOf(Measurement.Failure.class);
    assertThat(((Measurement.Failure) rate).kind()).isEqualTo(FailureKind.NoData);
    assertThat(((Measurement.Failure) rate).message())
        .isEqualTo(
            "Upstash command_counts GET has no complete 1m bucket inside the window ending " + NOW);
  }

  @Test
  void fallsBackToDailyRequestsWithoutGetSeriesAndSaysSo() throws Exception {
    JsonNode stats =
        MAPPER.readTree(
            """
            { "command_counts": [ {"metric_identifier":"SET","data_points":[]} ],
              "dailyrequests": [ {"x":"2026-09-01 00:00:00 +0000 UTC","y":2203200},
                                 {"x":"2026-09-02 00:00:00 +0000 UTC","y":41022} ] }
            """);

    Measurement rate = UpstashStats.rate(stats, Instant.EPOCH, NOW);

    // Only 09-01 is a complete day at 09-02 10:10.
    assertThat(rate)
        .isEqualTo(
            new Measurement.Rate(
                2203200 / 1440.0,
                Duration.ofDays(1),
                "Upstash dailyrequests (all commands: no GET series)",
                "1 complete bucket of 24h inside the window",
                NOW));
  }

  @Test
  void toleratesNullsUnknownFieldsAndBadPoints() throws Exception {
    JsonNode stats =
        MAPPER.readTree(
            """
            { "future_field": {"a": [1,2]}, "latencymax": null, "dailyrequests": null,
              "command_counts": [ null, {"metric_identifier": null},
                {"metric_identifier":"get","data_points":[
                  {"x":"2026-09-02 10:00:00 +0000 UTC","y":60},
                  {"x":null,"y":5}, {"x":"2026-09-02 10:00:30 +0000 UTC","y":null},
                  {"x":"not a time","y":7}, {"x":"2026-09-02 10:00:40 +0000 UTC","y":-3},
                  {"x":"2026-09-02 10:01:00 +0000 UTC","y":120, "extra": true} ]} ] }
            """);

    assertThat(UpstashStats.series(stats).points())
        .extracting(UpstashStats.Point::count)
        .containsExactly(60.0, 120.0);
    assertThat(UpstashStats.rate(stats, Instant.EPOCH, NOW))
        .isEqualTo(
            new Measurement.Rate(
                90.0,
                Duration.ofMinutes(2),
                "Upstash command_counts GET",
                "2 complete buckets of 1m inside the window",
                NOW));
  }

  @Test
  void emptyOrNonObjectRepliesHaveNoRate() throws Exception {
    assertThat(UpstashStats.rate(MAPPER.readTree("{}"), Instant.EPOCH, NOW))
        .isEqualTo(
            new Measurement.Failure(
                FailureKind.NoData,
                "Upstash dailyrequests (all commands: no GET series) has no usable data points"));
    assertThat(UpstashStats.rate(MAPPER.readTree("[1,2]"), Instant.EPOCH, NOW))
        .extracting(m -> ((Measurement.Failure) m).kind())
        .isEqualTo(FailureKind.Malformed);
  }
}
