package io.cachemode.operator.targets.fly;

import io.cachemode.operator.targets.TargetException;

/**
 * The Fly API answered with an error status. Thrown as a {@link TargetException} so the reconcile
 * is retried; {@link FlyTarget#validate()} turns 401, 403 and 404 into reference problems instead.
 */
public final class FlyApiException extends TargetException {
  private final int status;

  FlyApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status code the Fly API returned. */
  public int status() {
    return status;
  }

  boolean unauthorized() {
    return status == 401 || status == 403;
  }
}
