package io.cachemode.operator.targets.fly;

import io.cachemode.operator.targets.TargetException;
import java.time.Duration;

/**
 * The Fly API answered with an error status. Keeps what Fly's error bodies carry: {@code error} and
 * {@code status} ({@code ErrorResponse} in the Machines OpenAPI; fly-go {@code flaps_error.go}
 * reads {@code status} as a code such as {@code insufficient_capacity}), and {@code message}, which
 * fly-go prefers when present ({@code flaps.go} {@code handleAPIError}) and which lease conflicts
 * use (superfly/docs {@code reference/machines/_lease_resp.erb}).
 *
 * <p>Thrown as a {@link TargetException} so the reconcile is retried; {@link FlyTarget#validate()}
 * turns 401, 403 and 404 into reference problems instead.
 */
public final class FlyApiException extends TargetException {
  private final int httpStatus;
  private final String error;
  private final String status;
  private final String flyMessage;

  FlyApiException(
      String text,
      int httpStatus,
      String error,
      String status,
      String flyMessage,
      Duration retryAfter) {
    super(text, retryAfter);
    this.httpStatus = httpStatus;
    this.error = error;
    this.status = status;
    this.flyMessage = flyMessage;
  }

  /** The HTTP status code the Fly API returned. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The body's {@code error} field, or null. */
  public String error() {
    return error;
  }

  /**
   * The body's {@code status} field (e.g. {@code insufficient_capacity}, {@code error}), or null.
   */
  public String status() {
    return status;
  }

  /** The body's {@code message} field, or null. */
  public String flyMessage() {
    return flyMessage;
  }

  /**
   * What Fly said, as fly-go shows it: {@code message} when present, else {@code error}, else this
   * exception's own message.
   */
  public String said() {
    return flyMessage != null ? flyMessage : error != null ? error : getMessage();
  }

  boolean unauthorized() {
    return httpStatus == 401 || httpStatus == 403;
  }

  /** 409 or 412: the machine or its lease is not in the state the request assumed. */
  boolean conflict() {
    return httpStatus == 409 || httpStatus == 412;
  }
}
