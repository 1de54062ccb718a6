package io.cachemode.operator.testing;

import java.io.StringWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Captures every log event of the JVM, at every level, while open; for asserting that something
 * never appears in the logs.
 */
public final class CapturedLogs implements AutoCloseable {

  private final StringWriter text = new StringWriter();
  private final LoggerContext context;
  private final WriterAppender appender;
  private final Level previous;

  private CapturedLogs(Level level) {
    context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    appender =
        WriterAppender.newBuilder()
            .setName("captured-" + System.identityHashCode(this))
            .setTarget(text)
            .setLayout(PatternLayout.newBuilder().withPattern("%c %m %ex%n").build())
            .build();
    appender.start();
    LoggerConfig root = config.getRootLogger();
    previous = root.getLevel();
    root.addAppender(appender, level, null);
    if (level.isLessSpecificThan(previous)) {
      root.setLevel(level);
    }
    context.updateLoggers();
  }

  public static CapturedLogs everything() {
    return new CapturedLogs(Level.ALL);
  }

  /** What the operator logs at its default level, INFO, as in production. */
  public static CapturedLogs atInfo() {
    return new CapturedLogs(Level.INFO);
  }

  public String text() {
    return text.toString();
  }

  @Override
  public void close() {
    LoggerConfig root = context.getConfiguration().getRootLogger();
    root.removeAppender(appender.getName());
    root.setLevel(previous);
    context.updateLoggers();
    appender.stop();
  }
}
