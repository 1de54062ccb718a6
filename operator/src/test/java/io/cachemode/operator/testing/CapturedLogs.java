package io.cachemode.operator.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures every log record of the JVM, at every level, while open; for asserting that something
 * never appears in the logs.
 */
public final class CapturedLogs implements AutoCloseable {
  private static final Logger ROOT = Logger.getLogger("");

  private final StringBuffer text = new StringBuffer();
  private final Handler handler = new Capture();
  private final Level previous;

  private CapturedLogs(Level level) {
    handler.setLevel(level);
    previous = ROOT.getLevel();
    ROOT.addHandler(handler);
    if (level.intValue() < previous.intValue()) {
      ROOT.setLevel(level);
    }
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
    ROOT.removeHandler(handler);
    ROOT.setLevel(previous);
  }

  /** Logger, message and stack trace of each record: everything a log line could show. */
  private final class Capture extends Handler {
    private final Formatter formatter =
        new Formatter() {
          @Override
          public String format(LogRecord record) {
            StringWriter line = new StringWriter();
            line.append(record.getLoggerName())
                .append(' ')
                .append(formatMessage(record))
                .append(' ');
            if (record.getThrown() != null) {
              record.getThrown().printStackTrace(new PrintWriter(line));
            }
            return line.append('\n').toString();
          }
        };

    @Override
    public void publish(LogRecord record) {
      if (isLoggable(record)) {
        text.append(formatter.format(record));
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
