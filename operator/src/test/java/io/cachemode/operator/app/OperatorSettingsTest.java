package io.cachemode.operator.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cachemode.operator.logging.LogFormat;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class OperatorSettingsTest {
  @Test
  void reconcileThreadsDefaultToTheMeasuredSize() {
    assertEquals(
        OperatorSettings.DEFAULT_RECONCILE_THREADS,
        OperatorSettings.fromEnvironment(Map.of()).reconcileThreads());
  }

  @Test
  void reconcileThreadsComeFromTheEnvironment() {
    assertEquals(
        12, OperatorSettings.fromEnvironment(Map.of("RECONCILE_THREADS", "12")).reconcileThreads());
  }

  @Test
  void reconcileThreadsOutOfRangeStopStartUp() {
    assertThrows(
        IllegalArgumentException.class,
        () -> OperatorSettings.fromEnvironment(Map.of("RECONCILE_THREADS", "0")));
    assertThrows(
        IllegalArgumentException.class,
        () -> OperatorSettings.fromEnvironment(Map.of("RECONCILE_THREADS", "many")));
  }

  @Test
  void theLeaseIsHeldWithTheDocumentedDefaults() {
    OperatorSettings settings =
        OperatorSettings.fromEnvironment(
            Map.of("LEADER_ELECTION", "true", "OPERATOR_NAMESPACE", "cachemode-system"));
    var config = OperatorMain.leaderElection(settings);
    assertEquals(Duration.ofSeconds(30), config.getLeaseDuration());
    assertEquals(Duration.ofSeconds(20), config.getRenewDeadline());
    assertEquals(Duration.ofSeconds(5), config.getRetryPeriod());
  }

  @Test
  void leaseTimingComesFromTheEnvironment() {
    LeaseTiming lease =
        OperatorSettings.fromEnvironment(
                Map.of(
                    "LEASE_DURATION", "1m",
                    "LEASE_RENEW_DEADLINE", "40s",
                    "LEASE_RETRY_PERIOD", "10s"))
            .lease();
    assertEquals(
        new LeaseTiming(Duration.ofMinutes(1), Duration.ofSeconds(40), Duration.ofSeconds(10)),
        lease);
  }

  @Test
  void inconsistentLeaseTimingStopsStartUpNamingTheVariables() {
    var deadlineTooLong =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                OperatorSettings.fromEnvironment(
                    Map.of("LEASE_DURATION", "20s", "LEASE_RENEW_DEADLINE", "20s")));
    assertEquals(
        "LEASE_DURATION (20s) must be longer than LEASE_RENEW_DEADLINE (20s)",
        deadlineTooLong.getMessage());
    var retryTooLong =
        assertThrows(
            IllegalArgumentException.class,
            () -> OperatorSettings.fromEnvironment(Map.of("LEASE_RETRY_PERIOD", "17s")));
    assertEquals(
        "LEASE_RENEW_DEADLINE (20s) must be longer than 1.2 x LEASE_RETRY_PERIOD (17s)",
        retryTooLong.getMessage());
    var notADuration =
        assertThrows(
            IllegalArgumentException.class,
            () -> OperatorSettings.fromEnvironment(Map.of("LEASE_DURATION", "30")));
    assertEquals(
        "LEASE_DURATION: not a duration (expected e.g. 90s, 10m, 1h30m): 30",
        notADuration.getMessage());
  }

  @Test
  void logsAreTextAtInfoByDefault() {
    OperatorSettings settings = OperatorSettings.fromEnvironment(Map.of());
    assertEquals(LogFormat.TEXT, settings.logFormat());
    assertEquals(Level.INFO, settings.logLevel());
  }

  @Test
  void logFormatAndLevelComeFromTheEnvironment() {
    OperatorSettings settings =
        OperatorSettings.fromEnvironment(Map.of("LOG_FORMAT", "json", "LOG_LEVEL", "debug"));
    assertEquals(LogFormat.JSON, settings.logFormat());
    assertEquals(Level.DEBUG, settings.logLevel());
    assertEquals(
        Level.WARN, OperatorSettings.fromEnvironment(Map.of("LOG_LEVEL", " Warn ")).logLevel());
    assertEquals(
        Level.TRACE, OperatorSettings.fromEnvironment(Map.of("LOG_LEVEL", "TRACE")).logLevel());
  }

  @Test
  void anUnknownLogLevelStopsStartUpNamingTheVariable() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> OperatorSettings.fromEnvironment(Map.of("LOG_LEVEL", "verbose")));
    assertEquals(
        "LOG_LEVEL must be TRACE, DEBUG, INFO, WARN or ERROR, got verbose", e.getMessage());
  }
}
