/**
 * Verification of a flag change: HTTP health checks ({@link
 * io.cachemode.operator.verify.HealthProbe}) and GET-request rates ({@link
 * io.cachemode.operator.verify.RequestMeter}). Expected failures of the outside systems are
 * returned as values, never thrown, and no result carries a secret.
 */
package io.cachemode.operator.verify;
