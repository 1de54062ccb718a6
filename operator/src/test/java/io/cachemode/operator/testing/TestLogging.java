package io.cachemode.operator.testing;

import io.cachemode.operator.logging.ConsoleLogging;
import io.cachemode.operator.logging.LogFormat;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.slf4j.event.Level;

/**
 * Tests log as the operator does (text on stdout, informers at WARN) rather than through JUL's
 * default handler; registered in META-INF/services, run before any test class is loaded.
 */
public final class TestLogging implements LauncherSessionListener {
  @Override
  public void launcherSessionOpened(LauncherSession session) {
    ConsoleLogging.install(LogFormat.TEXT, Level.INFO);
  }
}
