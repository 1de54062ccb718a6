package io.cachemode.operator.verify;

import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.WorkloadReference;
import java.util.List;

/**
 * The blocking verification work of one CacheMode. Every call is bounded by the probes' and meters'
 * own timeouts and answers typed results, never an exception for a failing outside system. Callers
 * run it off the reconcile threads ({@link VerificationJobs}); nothing here keeps state between
 * calls, so whatever must survive (a window's start) is handed back to keep in status.
 */
public interface Verifier {

  /** Runs every configured health check (each with its attempts). */
  List<HealthOutcome> health(CacheMode cm);

  /**
   * Runs every configured log check over the pods the restart created in {@code workloads} (the
   * ones the target resolved, named or selected).
   */
  List<LogCheckResult> logs(CacheMode cm, List<WorkloadReference> workloads);

  /** The GET rate before anything is written. */
  Measurement baseline(CacheMode cm);

  /** Opens an observation window now. */
  WindowStart startWindow(CacheMode cm);

  /**
   * Closes the window opened at {@code start} and opens the next one at the same moment, so
   * watching needs no request to the meter between samples.
   */
  WindowSample closeWindow(CacheMode cm, WindowStart start);

  /** The rate over a closed window, and where the next one starts. */
  record WindowSample(Measurement rate, WindowStart next) {}
}
