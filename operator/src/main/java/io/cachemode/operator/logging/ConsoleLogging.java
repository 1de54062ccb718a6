package io.cachemode.operator.logging;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.logging.ErrorManager;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.slf4j.event.Level;

/**
 * Sets up java.util.logging, the backend of SLF4J here (slf4j-jdk14), in code: records of SLF4J and
 * of the libraries that log to JUL directly (OkHttp, the JDK's HTTP server) go to stdout in one
 * format.
 */
public final class ConsoleLogging {
  /**
   * Fabric8's informers log at WARN and above whatever LOG_LEVEL says. Held here: JUL holds loggers
   * weakly, and the level of a logger that was collected is lost.
   */
  private static final Logger INFORMERS =
      Logger.getLogger("io.fabric8.kubernetes.client.informers");

  private ConsoleLogging() {}

  /** Call before anything logs: until then records go to JUL's default handler on stderr. */
  public static void install(LogFormat format, Level level) {
    install(
        switch (format) {
          case TEXT -> new TextFormatter();
          case JSON -> new JsonFormatter();
        },
        level,
        System.out);
  }

  static void install(Formatter formatter, Level level, PrintStream out) {
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    root.setLevel(toJul(level));
    root.addHandler(new LineHandler(formatter, out));
    INFORMERS.setLevel(java.util.logging.Level.WARNING);
  }

  /** The JUL level slf4j-jdk14 logs an SLF4J level at. */
  static java.util.logging.Level toJul(Level level) {
    return switch (level) {
      case TRACE -> java.util.logging.Level.FINEST;
      case DEBUG -> java.util.logging.Level.FINE;
      case INFO -> java.util.logging.Level.INFO;
      case WARN -> java.util.logging.Level.WARNING;
      case ERROR -> java.util.logging.Level.SEVERE;
    };
  }

  /**
   * The SLF4J level shown for a JUL level; JUL's levels between two of SLF4J's (CONFIG, FINER) show
   * as the lower one, so that what LOG_LEVEL lets through is shown under a level it names.
   */
  static Level toSlf4j(java.util.logging.Level level) {
    int value = level.intValue();
    if (value >= java.util.logging.Level.SEVERE.intValue()) {
      return Level.ERROR;
    } else if (value >= java.util.logging.Level.WARNING.intValue()) {
      return Level.WARN;
    } else if (value >= java.util.logging.Level.INFO.intValue()) {
      return Level.INFO;
    } else if (value >= java.util.logging.Level.FINE.intValue()) {
      return Level.DEBUG;
    }
    return Level.TRACE;
  }

  /** As {@link Throwable#printStackTrace()} prints it, causes and suppressed ones included. */
  static String stackTrace(Throwable t) {
    StringWriter trace = new StringWriter();
    t.printStackTrace(new PrintWriter(trace));
    return trace.toString();
  }

  /**
   * Writes each record with one write and flushes it: a container's log collector reads stdout line
   * by line, and lines of two threads must not interleave.
   */
  private static final class LineHandler extends Handler {
    private final PrintStream out;

    LineHandler(Formatter formatter, PrintStream out) {
      this.out = out;
      setFormatter(formatter);
    }

    @Override
    public void publish(LogRecord record) {
      if (!isLoggable(record)) {
        return;
      }
      byte[] line;
      try {
        line = getFormatter().format(record).getBytes(StandardCharsets.UTF_8);
      } catch (RuntimeException e) {
        reportError(null, e, ErrorManager.FORMAT_FAILURE);
        return;
      }
      synchronized (out) {
        out.write(line, 0, line.length);
        out.flush();
      }
    }

    @Override
    public void flush() {
      out.flush();
    }

    /** JUL closes handlers at JVM exit; stdout stays open for whatever prints after. */
    @Override
    public void close() {
      flush();
    }
  }
}
