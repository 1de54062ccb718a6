package io.cachemode.operator.api;

/** What the GET rate showed about the change; Inconclusive is never a pass. */
public enum RequestVerdict {
  /** Suspending: the rate fell by at least expectReductionPercent. */
  Reduced,
  /** Suspending: the rate did not fall enough (the incident: the app kept using Redis). */
  NotReduced,
  /** Activating: GETs came back (after-rate above zero). */
  Resumed,
  /** Activating: no GETs after the change, so the app did not start using Redis again. */
  NotResumed,
  /** Suspended and verified, then a later watch sample showed the GETs back above the threshold. */
  Returned,
  /** No data to judge from (unreachable meter, no baseline, a counter reset). */
  Inconclusive
}
