package io.cachemode.operator.reconcile;

import io.cachemode.operator.api.WorkloadResult;
import io.cachemode.operator.flag.FlagLocation;
import io.cachemode.operator.targets.FlagReading;
import io.cachemode.operator.targets.SecretVersion;
import io.cachemode.operator.targets.Target;
import io.cachemode.operator.targets.WorkloadState;
import io.cachemode.operator.targets.WriteReceipt;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** An in-memory flag and one workload whose rollout the test completes by hand. */
final class FakeTarget implements Target {
  Optional<String> value;
  String workloadHash;
  String restartedAt;
  boolean rolledOut = true;
  final List<String> writes = new ArrayList<>();
  final List<String> restarts = new ArrayList<>();
  List<ReferenceProblem> problems = List.of();

  FakeTarget(String value) {
    this.value = Optional.ofNullable(value);
  }

  @Override
  public FlagLocation location() {
    return FlagLocation.secret("ns", "app-env", "SUSPEND_REDIS");
  }

  @Override
  public List<ReferenceProblem> validate() {
    return problems;
  }

  @Override
  public FlagReading readFlag() {
    return FlagReading.of(value);
  }

  @Override
  public void claim() {}

  @Override
  public boolean release() {
    return false;
  }

  @Override
  public WriteReceipt writeFlag(String canonicalValue, Instant now) {
    writes.add(canonicalValue);
    value = Optional.of(canonicalValue);
    return new WriteReceipt(canonicalValue, now.toString(), new SecretVersion(null, null, null));
  }

  @Override
  public List<String> restart(String flagHash, Instant now) {
    if (flagHash.equals(workloadHash)) {
      return List.of();
    }
    workloadHash = flagHash;
    restartedAt = now.toString();
    rolledOut = false;
    restarts.add(flagHash);
    return List.of("Deployment app");
  }

  @Override
  public List<WorkloadState> rolloutState(String flagHash) {
    WorkloadResult result =
        !flagHash.equals(workloadHash)
            ? WorkloadResult.Pending
            : rolledOut ? WorkloadResult.Complete : WorkloadResult.RollingOut;
    return List.of(
        new WorkloadState(
            "Deployment",
            "app",
            workloadHash,
            restartedAt,
            1L,
            1,
            rolledOut ? 1 : 0,
            1,
            result,
            null));
  }
}
