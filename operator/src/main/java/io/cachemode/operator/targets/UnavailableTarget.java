package io.cachemode.operator.targets;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A target this build cannot drive. It reports one reference problem and refuses every action, so
 * the reconciler stops at validation with a condition that says why.
 */
final class UnavailableTarget implements Target {
  private final String where;
  private final ReferenceProblem problem;

  UnavailableTarget(String where, String reason, String message) {
    this.where = where;
    this.problem = new ReferenceProblem(reason, message);
  }

  @Override
  public String describe() {
    return where;
  }

  @Override
  public List<ReferenceProblem> validate() {
    return List.of(problem);
  }

  @Override
  public Optional<String> readFlag() {
    throw refused();
  }

  @Override
  public void claim() {
    throw refused();
  }

  @Override
  public void writeFlag(String canonicalValue) {
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
