package io.cachemode.operator.targets.fly;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The {@code Retry-After} of a 429 (RFC 9110 §10.2.3: delta-seconds or an HTTP date), kept within
 * bounds: Fly's limits are per second (superfly/docs {@code
 * machines/api/working-with-machines-api.html.markerb}, "1 request, per second, per action"), so a
 * wait under a second is raised to one, and a header asking for more than {@link #MAX} is capped so
 * a broken header cannot park a CacheMode for hours.
 */
final class RetryAfter {
  static final Duration MIN = Duration.ofSeconds(1);
  static final Duration MAX = Duration.ofMinutes(5);

  private RetryAfter() {}

  /** Empty when the header is absent or unreadable: the caller's own back-off applies. */
  static Optional<Duration> parse(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String h = header.strip();
    Duration wait;
    if (h.matches("\\d{1,9}")) {
      wait = Duration.ofSeconds(Long.parseLong(h));
    } else {
      try {
        Instant at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        wait = Duration.between(now, at);
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
    if (wait.compareTo(MIN) < 0) {
      return Optional.of(MIN);
    }
    return Optional.of(wait.compareTo(MAX) > 0 ? MAX : wait);
  }
}
