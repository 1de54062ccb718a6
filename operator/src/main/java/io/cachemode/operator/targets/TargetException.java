package io.cachemode.operator.targets;

/** A transient failure talking to a target; the reconcile is retried with back-off. */
public class TargetException extends RuntimeException {
  public TargetException(String message, Throwable cause) {
    super(message, cause);
  }

  public TargetException(String message) {
    super(message);
  }
}
