package io.cachemode.operator.api;

/** Outcome of a check; Inconclusive is never a pass. */
public enum CheckResult {
  Passed,
  Failed,
  Inconclusive
}
