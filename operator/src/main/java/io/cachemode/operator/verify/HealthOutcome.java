package io.cachemode.operator.verify;

import io.cachemode.operator.api.CheckResult;
import java.time.Instant;

/**
 * Result of one health check.
 *
 * @param name the check's name from the spec
 * @param result Passed, Failed (every attempt failed) or Inconclusive (the check could not run)
 * @param httpStatus the status of the last attempt; null when no response arrived
 * @param latencyMillis duration of the last attempt
 * @param attempts attempts made
 * @param checkedAt when the last attempt finished
 * @param message what differed from the expectation or how the request failed, for the last attempt
 */
public record HealthOutcome(
    String name,
    CheckResult result,
    Integer httpStatus,
    long latencyMillis,
    int attempts,
    Instant checkedAt,
    String message) {}
