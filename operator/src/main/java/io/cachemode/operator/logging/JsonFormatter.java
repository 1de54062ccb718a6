package io.cachemode.operator.logging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;
import org.slf4j.MDC;

/**
 * One JSON object per line with the fields of Log4j's EcsLayout.json, so log pipelines set up for
 * it keep working: MDC entries (JOSDK's {@code resource.*}) are top-level fields, sorted by key as
 * Log4j wrote them, and the {@code error.*} fields appear only with a throwable.
 */
final class JsonFormatter extends Formatter {
  private static final JsonFactory JSON = new JsonFactory();
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** Reads the thread's name and MDC at format time: JUL formats on the thread that logs. */
  @Override
  public String format(LogRecord record) {
    StringWriter line = new StringWriter(256);
    try (JsonGenerator json = JSON.createGenerator(line)) {
      json.writeStartObject();
      json.writeStringField("@timestamp", TIME.format(record.getInstant()));
      json.writeStringField("ecs.version", "1.2.0");
      json.writeStringField("log.level", ConsoleLogging.toSlf4j(record.getLevel()).name());
      json.writeStringField("message", formatMessage(record));
      json.writeStringField("process.thread.name", Thread.currentThread().getName());
      json.writeStringField("log.logger", record.getLoggerName());
      Map<String, String> mdc = MDC.getCopyOfContextMap();
      if (mdc != null) {
        for (Map.Entry<String, String> e : new TreeMap<>(mdc).entrySet()) {
          json.writeStringField(e.getKey(), e.getValue());
        }
      }
      Throwable thrown = record.getThrown();
      if (thrown != null) {
        json.writeStringField("error.type", thrown.getClass().getName());
        json.writeStringField("error.message", thrown.getMessage());
        json.writeStringField("error.stack_trace", ConsoleLogging.stackTrace(thrown));
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return line.append(System.lineSeparator()).toString();
  }
}
