package io.cachemode.operator.api;

/** Whether GET traffic fell as expected; Inconclusive is never a pass. */
public enum RequestVerdict {
  Reduced,
  NotReduced,
  Inconclusive
}
