package io.cachemode.operator.logging;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;
import org.slf4j.MDC;

/**
 * Lines as Log4j's {@code %d{ISO8601} %-5level [%X{resource.namespace}/%X{resource.name}] %c{1} -
 * %msg%n} wrote them, the stack trace after the line. JOSDK puts the resource's namespace and name
 * into the MDC, so messages need not repeat them.
 */
final class TextFormatter extends Formatter {
  /** Log4j's ISO8601: local time, a comma before the milliseconds. */
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss,SSS").withZone(ZoneId.systemDefault());

  /**
   * Reads the MDC of the calling thread: JUL formats on the thread that logs, and SLF4J's MDC is
   * that thread's.
   */
  @Override
  public String format(LogRecord record) {
    String level = ConsoleLogging.toSlf4j(record.getLevel()).name();
    StringBuilder line =
        new StringBuilder(160)
            .append(TIME.format(record.getInstant()))
            .append(' ')
            .append(level)
            .append(" ".repeat(Math.max(0, 5 - level.length())))
            .append(" [")
            .append(Objects.toString(MDC.get("resource.namespace"), ""))
            .append('/')
            .append(Objects.toString(MDC.get("resource.name"), ""))
            .append("] ")
            .append(simpleName(record.getLoggerName()))
            .append(" - ")
            .append(formatMessage(record))
            .append(System.lineSeparator());
    if (record.getThrown() != null) {
      line.append(ConsoleLogging.stackTrace(record.getThrown()));
    }
    return line.toString();
  }

  /** Log4j's {@code %c{1}}: the logger name after its last dot. */
  private static String simpleName(String logger) {
    return logger == null ? "" : logger.substring(logger.lastIndexOf('.') + 1);
  }
}
