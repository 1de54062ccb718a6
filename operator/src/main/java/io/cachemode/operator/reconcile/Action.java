package io.cachemode.operator.reconcile;

/** Something the phase machine decided to do to the world; the {@link Executor} does it. */
sealed interface Action {

  /** Writes the canonical value; {@code repair} when it replaces a value someone else wrote. */
  record WriteFlag(String value, boolean repair) implements Action {}

  /** Marks the flag's home as managed by this CacheMode. */
  record Claim() implements Action {}

  /** Restarts every workload not yet carrying {@code flagHash}. */
  record Restart(String flagHash) implements Action {}

  /** Starts a verification job (no-op when it is already running or done). */
  record RunCheck(Check check, String id) implements Action {}
}
