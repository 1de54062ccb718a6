package io.cachemode.operator.verify;

/** Why a request meter has no rate. None of these is ever a pass. */
public enum FailureKind {
  /** Connection refused, timeout, unknown host or TLS failure. */
  Unreachable,
  /** Credentials rejected (HTTP 401/403, Redis WRONGPASS/NOAUTH/NOPERM). */
  Unauthorized,
  /**
   * The server does not offer what the method needs: {@code INFO commandstats} answered with its
   * heading only (Upstash), or {@code MONITOR} is not a known command.
   */
  Unsupported,
  /** The provider throttled the operator (HTTP 429). */
  RateLimited,
  /** The provider failed (HTTP 5xx, an unexpected Redis error). */
  ServerError,
  /** The reply could not be parsed. */
  Malformed,
  /** The reply parsed but holds nothing to compute a rate from. */
  NoData,
  /** The value was NaN, infinite or negative. */
  NotANumber,
  /** The counter went down or the server restarted during the window. */
  CounterReset,
  /** The spec or its Secret does not give what the meter needs. */
  Misconfigured
}
