package io.cachemode.operator.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

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
}
