package io.cachemode.operator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachemode.operator.api.WindowStartStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WindowStartsTest {

  private static final Instant AT = Instant.parse("2026-09-02T10:00:00.125Z");

  @Test
  void roundTripsEveryKindOfStart() {
    WindowStart counter = new WindowStart.Opened(AT, "CommandStats", 2_200_000L, 86_400L);
    WindowStart monitor = WindowStart.Opened.withoutCounter(AT, "Monitor");
    WindowStart api = WindowStart.Opened.withoutCounter(AT, null);
    WindowStart unavailable =
        new WindowStart.Unavailable(
            AT,
            new Measurement.Failure(FailureKind.Unauthorized, "Redis at h:1 rejected (NOPERM)"));

    for (WindowStart start : new WindowStart[] {counter, monitor, api, unavailable}) {
      assertThat(WindowStarts.fromStatus(WindowStarts.toStatus(start))).contains(start);
    }
    WindowStartStatus status = WindowStarts.toStatus(counter);
    assertThat(status.getAt()).isEqualTo("2026-09-02T10:00:00.125Z");
    assertThat(status.getMethod()).isEqualTo("CommandStats");
    assertThat(status.getCounter()).isEqualTo(2_200_000L);
    assertThat(status.getUptimeSeconds()).isEqualTo(86_400L);
    assertThat(status.getFailureKind()).isNull();
  }

  @Test
  void absentOrUnreadableStatusOpensNoWindow() {
    WindowStartStatus badTime = new WindowStartStatus();
    badTime.setAt("yesterday");
    WindowStartStatus badKind = WindowStarts.toStatus(WindowStart.Opened.withoutCounter(AT, null));
    badKind.setFailureKind("Gremlins");

    assertThat(WindowStarts.fromStatus(null)).isEmpty();
    assertThat(WindowStarts.fromStatus(new WindowStartStatus())).isEmpty();
    assertThat(WindowStarts.fromStatus(badTime)).isEmpty();
    assertThat(WindowStarts.fromStatus(badKind)).isEmpty();
  }
}
