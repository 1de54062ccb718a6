package io.cachemode.operator.reconcile;

import io.cachemode.operator.api.WorkloadResult;
import io.cachemode.operator.flag.FlagLocation;
import io.cachemode.operator.targets.FlagReading;
import io.cachemode.operator.targets.SecretVersion;
import io.cachemode.operator.targets.Target;
import io.cachemode.operator.targets.TargetException;
import io.cachemode.operator.targets.WorkloadState;
import io.cachemode.operator.targets.WriteReceipt;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An in-memory flag and workloads whose rollouts the test completes by hand. */
final class FakeTarget implements Target {
  /** One workload: the hash its template carries and how its rollout stands. */
  static final class Workload {
    final String name;
    String hash;
    String restartedAt;
    boolean rolledOut = true;
    boolean failed;
    String flagUse = "envFrom in container app";

    Workload(String name) {
      this.name = name;
    }
  }

  Optional<String> value;
  boolean hidesValues;

  /**
   * What a lagging informer cache shows of the value, until the target is asked to read fresh; null
   * when the cache is current.
   */
  Optional<String> cachedValue;

  int freshReads;

  /** Who last wrote the key, as Kubernetes managedFields would say. */
  FlagReading.Writer writer;

  private String lastWritten;
  final Map<String, Workload> workloads = new LinkedHashMap<>();
  final List<String> writes = new ArrayList<>();
  final List<String> restarts = new ArrayList<>();
  List<ReferenceProblem> problems = List.of();
  boolean released;
  int failNextWrites;

  FakeTarget(String value, String... workloads) {
    this.value = Optional.ofNullable(value);
    for (String w : workloads.length == 0 ? new String[] {"app"} : workloads) {
      this.workloads.put(w, new Workload(w));
    }
  }

  Workload workload() {
    return workloads.values().iterator().next();
  }

  void rollOut() {
    workloads.values().forEach(w -> w.rolledOut = true);
  }

  @Override
  public FlagLocation location() {
    return FlagLocation.secret("ns", "app-env", "SUSPEND_REDIS");
  }

  @Override
  public void readFresh() {
    freshReads++;
    cachedValue = null;
  }

  @Override
  public List<ReferenceProblem> validate() {
    return problems;
  }

  @Override
  public FlagReading readFlag() {
    if (hidesValues && value.isPresent()) {
      SecretVersion version = new SecretVersion("3fa9e1c2b7d40a55", null, null);
      return value.equals(Optional.ofNullable(lastWritten))
          ? FlagReading.ownWrite(lastWritten, version, "known from the operator's own write")
          : FlagReading.unknown(version, "the store does not reveal values");
    }
    FlagReading reading = FlagReading.of(cachedValue == null ? value : cachedValue);
    return writer == null ? reading : reading.by(writer);
  }

  /** Someone other than the operator writes the key. */
  void externalWrite(String v, String fieldManager, Instant at) {
    value = Optional.of(v);
    writer = new FlagReading.Writer(fieldManager, at);
  }

  @Override
  public void claim() {}

  @Override
  public boolean release() {
    released = true;
    return true;
  }

  @Override
  public WriteReceipt writeFlag(String canonicalValue, Instant now) {
    if (failNextWrites > 0) {
      failNextWrites--;
      throw new TargetException("API server unavailable");
    }
    writes.add(canonicalValue);
    value = Optional.of(canonicalValue);
    writer = new FlagReading.Writer("cachemode-operator", now);
    lastWritten = canonicalValue;
    return new WriteReceipt(canonicalValue, now.toString(), new SecretVersion(null, null, null));
  }

  @Override
  public List<String> restart(String flagHash, Instant now) {
    List<String> done = new ArrayList<>();
    for (Workload w : workloads.values()) {
      if (flagHash.equals(w.hash)) {
        continue;
      }
      w.hash = flagHash;
      w.restartedAt = now.toString();
      w.rolledOut = false;
      restarts.add(w.name + "@" + flagHash);
      done.add("Deployment " + w.name);
    }
    return done;
  }

  @Override
  public List<WorkloadState> rolloutState(String flagHash) {
    return workloads.values().stream()
        .map(
            w -> {
              WorkloadResult result =
                  !flagHash.equals(w.hash)
                      ? WorkloadResult.Pending
                      : w.failed
                          ? WorkloadResult.Failed
                          : w.rolledOut ? WorkloadResult.Complete : WorkloadResult.RollingOut;
              return new WorkloadState(
                  "Deployment",
                  w.name,
                  w.hash,
                  w.restartedAt,
                  1L,
                  1,
                  w.rolledOut ? 1 : 0,
                  1,
                  result,
                  w.failed ? "ProgressDeadlineExceeded" : null);
            })
        .toList();
  }

  @Override
  public Map<String, String> flagUse() {
    Map<String, String> out = new LinkedHashMap<>();
    workloads.values().forEach(w -> out.put("Deployment " + w.name, w.flagUse));
    return out;
  }
}
