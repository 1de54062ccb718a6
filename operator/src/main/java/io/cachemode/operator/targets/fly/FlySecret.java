package io.cachemode.operator.targets.fly;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * One app secret as Fly lists it: a name, an opaque digest and times, never the value (OpenAPI
 * {@code AppSecret}; fly-go {@code secrets_types.go}). The value field exists only for {@code
 * show_secrets}, which the operator never asks for (superfly/docs {@code apps/secrets}: "we do not
 * allow read access to the plain-text values of secrets"), and is not even parsed.
 */
record FlySecret(String name, String digest, String updatedAt, String createdAt) {

  static FlySecret from(JsonNode n) {
    return new FlySecret(
        text(n, "name"),
        text(n, "digest"),
        instant(text(n, "updated_at")),
        instant(text(n, "created_at")));
  }

  /**
   * A time as an RFC 3339 instant (what status and the reconciler parse). flyctl reads these times
   * as RFC 3339, or as a date-time without zone ({@code internal/command/secrets/list.go} {@code
   * parseTimestamp}), which Go's {@code time.Parse} takes as UTC; anything else is kept as Fly sent
   * it.
   */
  static String instant(String time) {
    if (time == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(time).toInstant().toString();
    } catch (DateTimeParseException notOffset) {
      try {
        return LocalDateTime.parse(time).toInstant(ZoneOffset.UTC).toString();
      } catch (DateTimeParseException notLocal) {
        return time;
      }
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
  }
}
