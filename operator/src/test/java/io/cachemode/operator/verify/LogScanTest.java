package io.cachemode.operator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LogScanTest {

  private static final Instant START = Instant.parse("2026-09-02T10:00:00Z");
  private static final Instant DEADLINE = START.plusSeconds(300);
  private static final String LINE = "REDIS SUSPENDED";

  private static String log(String... lines) {
    return String.join("\n", lines) + "\n";
  }

  @Test
  void firstMatchingLineInsideTheWindowMatchesAtItsTimestamp() {
    String text =
        log(
            "2026-09-02T10:00:01.5Z starting",
            "2026-09-02T10:00:02.123456789Z 🚨 REDIS SUSPENDED: Distributed caching is disabled",
            "2026-09-02T10:00:03Z REDIS SUSPENDED again");

    assertThat(LogScan.scan(text, false, LINE, START, DEADLINE, START.plusSeconds(10)))
        .isEqualTo(new LogScan.Matched(Instant.parse("2026-09-02T10:00:02.123456789Z")));
  }

  @Test
  void aMatchAfterTheWindowDoesNotCount() {
    String text = log("2026-09-02T10:00:01Z starting", "2026-09-02T10:06:00Z REDIS SUSPENDED");

    assertThat(LogScan.scan(text, false, LINE, START, DEADLINE, DEADLINE.plusSeconds(70)))
        .isEqualTo(new LogScan.Absent());
  }

  @Test
  void withoutAMatchTheWindowIsOpenUntilItsDeadline() {
    String text = log("2026-09-02T10:00:01Z starting");

    assertThat(LogScan.scan(text, false, LINE, START, DEADLINE, START.plusSeconds(60)))
        .isEqualTo(new LogScan.Pending(DEADLINE));
    assertThat(LogScan.scan(text, false, LINE, START, DEADLINE, DEADLINE.plusMillis(1)))
        .isEqualTo(new LogScan.Absent());
    assertThat(LogScan.scan("", false, LINE, START, DEADLINE, START))
        .isEqualTo(new LogScan.Pending(DEADLINE));
  }

  @Test
  void aReadCutAtItsCapInsideTheWindowLeavesTheRestUnknown() {
    String text = log("2026-09-02T10:00:01Z busy", "2026-09-02T10:00:02Z busy", "2026-09-02T10:0");

    assertThat(LogScan.scan(text, true, LINE, START, DEADLINE, DEADLINE.plusSeconds(60)))
        .isEqualTo(new LogScan.CutShort(Instant.parse("2026-09-02T10:00:02Z")));
  }

  @Test
  void aReadCutBeyondTheWindowIsStillAbsent() {
    String text = log("2026-09-02T10:00:01Z busy", "2026-09-02T10:05:01Z busy");

    assertThat(LogScan.scan(text, true, LINE, START, DEADLINE, DEADLINE.plusSeconds(60)))
        .isEqualTo(new LogScan.Absent());
  }

  @Test
  void linesBeforeTheStartAndWithoutTimestampsAreIgnored() {
    String text =
        log("2026-09-02T09:59:59Z REDIS SUSPENDED (previous pod)", "REDIS SUSPENDED no timestamp");

    assertThat(LogScan.scan(text, false, LINE, START, DEADLINE, DEADLINE.plusSeconds(1)))
        .isEqualTo(new LogScan.Absent());
  }

  @Test
  void theTimestampItselfCannotMatch() {
    String text = log("2026-09-02T10:00:01Z ready");

    assertThat(LogScan.scan(text, false, "2026-09-02", START, DEADLINE, DEADLINE.plusSeconds(1)))
        .isEqualTo(new LogScan.Absent());
  }
}
