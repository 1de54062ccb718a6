package io.cachemode.operator.targets;

import io.cachemode.operator.flag.FlagLocation;
import java.time.Instant;
import java.util.List;

/**
 * A target this build cannot drive. It reports one reference problem and refuses every action, so
 * the reconciler stops at validation with a condition that says why.
 */
final class UnavailableTarget implements Target {
  private final FlagLocation where;
  private final ReferenceProblem problem;

  UnavailableTarget(FlagLocation where, String reason, String message) {
    this.where = where;
    this.problem = new ReferenceProblem(reason, message);
  }

  @Override
  public FlagLocation location() {
    return where;
  }

  @Override
  public List<ReferenceProblem> validate() {
    return List.of(problem);
  }

  @Override
  public FlagReading readFlag() {
    throw refused();
  }

  @Override
  public void claim() {
    throw refused();
  }

  @Override
  public boolean release() {
    return false;
  }

  @Override
  public WriteReceipt writeFlag(String canonicalValue, Instant now) {
    throw refused();
  }

  @Override
  public List<String> restart(String flagHash, Instant now) {
    throw refused();
  }

  @Override
  public List<WorkloadState> rolloutState(String flagHash) {
    throw refused();
  }

  private IllegalStateException refused() {
    return new IllegalStateException(problem.message());
  }
}
