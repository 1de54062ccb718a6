package io.cachemode.operator.targets.fly;

import io.cachemode.operator.flag.FlagLocation;
import io.cachemode.operator.targets.FlagReading;
import io.cachemode.operator.targets.SecretVersion;
import io.cachemode.operator.targets.Target;
import io.cachemode.operator.targets.TargetException;
import io.cachemode.operator.targets.WorkloadState;
import io.cachemode.operator.targets.WriteReceipt;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import okhttp3.OkHttpClient;

/**
 * A flag stored as a Fly.io app secret, read by the app's machines through the Fly Machines API.
 * Like the Kubernetes target, an instance lives for one reconcile; what must outlive it is in the
 * world (machine metadata) or in the operator's last write receipt, which the reconciler keeps in
 * status and hands back through the constructor.
 *
 * <ul>
 *   <li><b>Read.</b> Fly never reveals secret values (superfly/docs {@code apps/secrets}: "The API
 *       servers can only encrypt; they cannot decrypt secret values"), so {@code show_secrets} is
 *       never asked for. The listing's digest and {@code updated_at} are compared with the receipt
 *       of the operator's own last write ({@link SecretReadings}); the listing asks for that
 *       write's secrets version so it is not served stale.
 *   <li><b>Write.</b> {@code POST /v1/apps/{app}/secrets} with only the flag key, then a listing at
 *       the returned version for the digest and {@code updated_at} Fly recorded for it: the
 *       receipt.
 *   <li><b>Claim.</b> Nothing to do: Fly secrets carry no labels, and ownership of the key is
 *       decided in the cluster (one CacheMode per location).
 *   <li><b>Restart.</b> Fly machines pick up secrets only when updated (superfly/docs {@code
 *       machines/api/apps-resource}), so each machine is updated (not {@code /restart}ed) with its
 *       full current config plus metadata ({@link MachineRules}) and {@code min_secrets_version},
 *       under its lease ({@link LeasedUpdate}), the way flyctl rolls machines for new secrets. The
 *       roll is non-blocking and one machine at a time: each call updates at most one machine, and
 *       only when every machine already updated has completed. A machine carrying the change is
 *       never updated again. Fly has no watch, so {@link #pollInterval()} asks for a look every
 *       {@link #POLL_INTERVAL} (longer after a 429).
 *   <li><b>Rollout.</b> Per machine, see {@link MachineRules#state}.
 * </ul>
 *
 * <p>The API token is only ever sent as a header; messages name the app, the key and the HTTP
 * status, never the token.
 */
public final class FlyTarget implements Target {
  /**
   * How often a reconcile should look at the machines again while a rollout is in progress. Roughly
   * flyctl's health-check polling, and well within the Get Machine rate limit.
   */
  public static final Duration POLL_INTERVAL = Duration.ofSeconds(10);

  /**
   * How many machines one call tries when their leases are held by someone else: enough to get past
   * a deploy holding a few, few enough to stay within the lease action's rate limit.
   */
  static final int MAX_ATTEMPTS = 3;

  private final FlyApi api;
  private final LeasedUpdate updates;
  private final String app;
  private final String key;
  private final Optional<WriteReceipt> lastWrite;

  /** Machines as last seen in this reconcile; an update replaces its machine. */
  private List<FlyMachine> machines;

  /** The secrets listing as last read in this reconcile. */
  private List<FlySecret> secrets;

  /** The receipt of the write made in this reconcile, when there was one. */
  private Optional<WriteReceipt> written = Optional.empty();

  /** Why an attempt to update a machine did not go through, by machine id. */
  private final Map<String, String> notes = new HashMap<>();

  private Duration retryAfter = Duration.ZERO;

  /**
   * @param apiUrl the Machines API base URL, e.g. {@code https://api.machines.dev}
   * @param token a Fly API token ({@code fly tokens create deploy}); macaroons go as {@code FlyV1}
   * @param lastWrite the operator's last write of this key, as recorded in status
   * @throws IllegalArgumentException when {@code apiUrl} is not an http(s) URL
   */
  public FlyTarget(
      OkHttpClient http,
      String apiUrl,
      String app,
      String key,
      String token,
      Optional<WriteReceipt> lastWrite) {
    this.api = new FlyApi(http, apiUrl, app, token);
    this.updates = new LeasedUpdate(api);
    this.app = app;
    this.key = key;
    this.lastWrite = lastWrite;
  }

  @Override
  public FlagLocation location() {
    return FlagLocation.flyApp(app, key);
  }

  @Override
  public List<ReferenceProblem> validate() {
    List<FlyMachine> all;
    try {
      all = machines();
    } catch (FlyApiException e) {
      if (e.httpStatus() == 404) {
        return List.of(
            new ReferenceProblem(
                "AppNotFound", "spec.target.fly.app: Fly app " + app + " not found"));
      }
      if (e.unauthorized()) {
        return List.of(unauthorized("refused the token for app " + app, e));
      }
      throw e;
    }
    List<ReferenceProblem> problems = new ArrayList<>();
    if (MachineRules.managed(all, null).isEmpty()) {
      problems.add(
          new ReferenceProblem(
              "NoMachines",
              "spec.target.fly.app: Fly app "
                  + app
                  + " has no machines to update (deploy it first; one-off machines do not count)"));
    }
    try {
      secrets();
    } catch (FlyApiException e) {
      if (!e.unauthorized()) {
        throw e;
      }
      problems.add(unauthorized("refused to list the secrets of app " + app, e));
    }
    return problems;
  }

  @Override
  public FlagReading readFlag() {
    return SecretReadings.read(key, listed(), lastWrite);
  }

  @Override
  public void claim() {
    // Fly secrets have no labels or annotations to mark them managed.
  }

  @Override
  public boolean release() {
    return false; // Fly secrets have no labels or annotations to remove.
  }

  /**
   * Sets the key, then lists the secrets at the version the write returned, so the receipt holds
   * the digest and {@code updated_at} Fly recorded for this write and not a stale listing's. Once
   * the value is written nothing here throws: should that listing fail, the reply's own listing
   * stands in, and failing that the receipt holds the version alone, since a receipt lost to an
   * exception would make the operator take its own write for someone else's.
   */
  @Override
  public WriteReceipt writeFlag(String canonicalValue, Instant now) {
    FlyApi.SecretsWrite write = api.setSecret(key, canonicalValue);
    try {
      secrets = api.secrets(write.version());
    } catch (TargetException e) {
      secrets = write.secrets();
    }
    Optional<FlySecret> s = listed();
    OptionalLong version = write.version();
    WriteReceipt receipt =
        new WriteReceipt(
            canonicalValue,
            now.toString(),
            new SecretVersion(
                s.map(FlySecret::digest).orElse(null),
                s.map(FlySecret::updatedAt).orElse(null),
                version.isPresent() ? version.getAsLong() : null));
    written = Optional.of(receipt);
    return receipt;
  }

  @Override
  public List<String> restart(String flagHash, Instant now) {
    Change change = change(flagHash);
    List<FlyMachine> candidates =
        MachineRules.candidates(MachineRules.managed(machines(), flagHash), change);
    int attempts = 0;
    for (FlyMachine m : candidates) {
      if (attempts++ == MAX_ATTEMPTS) {
        break;
      }
      LeasedUpdate.Outcome outcome = updates.update(m, change, now);
      if (outcome instanceof LeasedUpdate.Outcome.Sent sent) {
        notes.remove(m.id());
        replace(sent.machine());
        return List.of("Machine " + m.id());
      }
      if (outcome instanceof LeasedUpdate.Outcome.AlreadyDone done) {
        replace(done.machine());
        return List.of();
      }
      LeasedUpdate.Outcome.NotSent notSent = (LeasedUpdate.Outcome.NotSent) outcome;
      notes.put(m.id(), notSent.note());
      if (notSent.retryAfter() != null) {
        retryAfter = notSent.retryAfter();
        return List.of();
      }
    }
    return List.of();
  }

  @Override
  public List<WorkloadState> rolloutState(String flagHash) {
    Change change = change(flagHash);
    return MachineRules.managed(machines(), flagHash).stream()
        .map(m -> MachineRules.state(m, change, notes.get(m.id())))
        .toList();
  }

  /** {@link #POLL_INTERVAL}, or longer when Fly asked to wait longer (a 429's Retry-After). */
  @Override
  public Optional<Duration> pollInterval() {
    return Optional.of(retryAfter.compareTo(POLL_INTERVAL) > 0 ? retryAfter : POLL_INTERVAL);
  }

  /**
   * What machines must carry: the hash, at the secrets version of this reconcile's write or else of
   * the recorded last write. So right after a write (a repair of someone else's change included)
   * every machine updated before it counts as not carrying the change and is updated again; and
   * with no write on record at all, no machine counts as carrying it.
   */
  private Change change(String flagHash) {
    Optional<WriteReceipt> latest = written.or(() -> lastWrite);
    return new Change(
        flagHash, latest.map(FlyTarget::version).orElse(OptionalLong.empty()), latest.isPresent());
  }

  private static OptionalLong version(WriteReceipt r) {
    Long v = r.version().secretsVersion();
    return v == null ? OptionalLong.empty() : OptionalLong.of(v);
  }

  private List<FlyMachine> machines() {
    if (machines == null) {
      machines = api.machines();
    }
    return machines;
  }

  /** Puts the machine as an update returned it in place of the listed one: no second listing. */
  private void replace(FlyMachine updated) {
    machines = machines().stream().map(m -> m.id().equals(updated.id()) ? updated : m).toList();
  }

  private List<FlySecret> secrets() {
    if (secrets == null) {
      secrets = api.secrets(lastWrite.map(FlyTarget::version).orElse(OptionalLong.empty()));
    }
    return secrets;
  }

  private Optional<FlySecret> listed() {
    return secrets().stream().filter(s -> key.equals(s.name())).findFirst();
  }

  private ReferenceProblem unauthorized(String what, FlyApiException e) {
    return new ReferenceProblem(
        "FlyUnauthorized",
        "spec.target.fly.tokenSecretRef: the Fly API "
            + what
            + " (HTTP "
            + e.httpStatus()
            + "); use a token that may manage the app's machines and set its secrets (fly tokens"
            + " create deploy -a "
            + app
            + ")");
  }
}
