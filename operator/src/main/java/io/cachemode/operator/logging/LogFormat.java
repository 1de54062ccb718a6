package io.cachemode.operator.logging;

/** How log records are written to stdout (LOG_FORMAT). */
public enum LogFormat {
  /** One line per record, as people read them: time, level, the resource, logger and message. */
  TEXT,
  /** One JSON object per line with ECS field names, for log pipelines. */
  JSON
}
