package io.cachemode.operator.verify;

import io.cachemode.operator.api.WindowStartStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Converts a {@link WindowStart} to the status field that keeps it, and back. */
public final class WindowStarts {

  private WindowStarts() {}

  public static WindowStartStatus toStatus(WindowStart start) {
    WindowStartStatus status = new WindowStartStatus();
    status.setAt(start.at().toString());
    if (start instanceof WindowStart.Opened opened) {
      status.setMethod(opened.method());
      status.setCounter(opened.counter());
      status.setUptimeSeconds(opened.uptimeSeconds());
    } else if (start instanceof WindowStart.Unavailable unavailable) {
      status.setFailureKind(unavailable.failure().kind().name());
      status.setFailureMessage(unavailable.failure().message());
    }
    return status;
  }

  /**
   * The window start a status field describes; empty when the field is absent or unreadable (then a
   * new window has to be opened: a verdict is never computed from a guessed starting point).
   */
  public static Optional<WindowStart> fromStatus(WindowStartStatus status) {
    if (status == null || status.getAt() == null) {
      return Optional.empty();
    }
    Instant at;
    try {
      at = Instant.parse(status.getAt());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
    if (status.getFailureKind() == null) {
      return Optional.of(
          new WindowStart.Opened(
              at, status.getMethod(), status.getCounter(), status.getUptimeSeconds()));
    }
    FailureKind kind;
    try {
      kind = FailureKind.valueOf(status.getFailureKind());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    String message = status.getFailureMessage() == null ? "" : status.getFailureMessage();
    return Optional.of(new WindowStart.Unavailable(at, new Measurement.Failure(kind, message)));
  }
}
