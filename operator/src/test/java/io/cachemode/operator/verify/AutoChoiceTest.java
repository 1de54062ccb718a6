package io.cachemode.operator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachemode.operator.api.RedisCountMethod;
import org.junit.jupiter.api.Test;

class AutoChoiceTest {

  /**
   * Upstash's INFO answers a section it does not support with "only its heading" (upstash/docs
   * redis/commands/server/info.mdx); commandstats is not among its sections, so this is the whole
   * reply, CRLF-delimited as its INFO is.
   */
  private static final String UPSTASH_COMMANDSTATS = "# Commandstats\r\n";

  @Test
  void upstashsHeadingOnlyReplyFallsBackToMonitorAndSaysWhy() {
    AutoChoice.Choice choice = AutoChoice.decide(new AutoChoice.Answered(UPSTASH_COMMANDSTATS));

    assertThat(choice)
        .isEqualTo(
            new AutoChoice.Use(
                RedisCountMethod.Monitor,
                "INFO commandstats has no cmdstat_get (the server serves only its heading, as"
                    + " Upstash does)"));
  }

  @Test
  void commandCountersAreUsedEvenBeforeTheFirstGet() {
    // Redis prints no line for a command never called: no cmdstat_get means 0 GETs, not "no data".
    String reply =
        "# Commandstats\r\ncmdstat_info:calls=1,usec=10,usec_per_call=10.00,rejected_calls=0,"
            + "failed_calls=0\r\n";

    assertThat(AutoChoice.decide(new AutoChoice.Answered(reply)))
        .isEqualTo(
            new AutoChoice.Use(
                RedisCountMethod.CommandStats, "Auto: INFO commandstats serves cmdstat_get"));
  }

  @Test
  void aRefusedInfoFallsBackToMonitor() {
    assertThat(
            AutoChoice.decide(
                new AutoChoice.Refused(
                    "NOPERM", "NOPERM this user has no permissions to run the 'info' command")))
        .isEqualTo(
            new AutoChoice.Use(
                RedisCountMethod.Monitor,
                "INFO commandstats is not permitted for this ACL user (NOPERM)"));
    assertThat(AutoChoice.decide(new AutoChoice.Refused("ERR", "ERR unknown command 'INFO'")))
        .isEqualTo(
            new AutoChoice.Use(
                RedisCountMethod.Monitor,
                "INFO commandstats was refused (ERR unknown command 'INFO')"));
    assertThat(AutoChoice.decide(new AutoChoice.Answered("$%&")))
        .isEqualTo(
            new AutoChoice.Use(
                RedisCountMethod.Monitor, "INFO commandstats answered in an unexpected format"));
  }

  @Test
  void failuresMonitorWouldMeetToo() {
    Measurement.Failure refused =
        new Measurement.Failure(FailureKind.Unreachable, "Redis at h:1: connection refused");
    Measurement.Failure wrongPassword =
        new Measurement.Failure(FailureKind.Unauthorized, "Redis at h:1 rejected (WRONGPASS)");

    assertThat(AutoChoice.decide(new AutoChoice.Failed(refused)))
        .isEqualTo(new AutoChoice.Fail(refused));
    assertThat(AutoChoice.decide(new AutoChoice.Failed(wrongPassword)))
        .isEqualTo(new AutoChoice.Fail(wrongPassword));
  }
}
