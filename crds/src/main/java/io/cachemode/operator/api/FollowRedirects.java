package io.cachemode.operator.api;

/** Which HTTP redirects a health check follows. */
public enum FollowRedirects {
  /** None: a redirect is the answer, reported as "redirect to host not followed". */
  Never,
  /**
   * Only to the check's own host (any port or path; https never downgraded to http), at most 5 in a
   * row. Each hop passes the operator's outbound policy again.
   */
  SameHost
}
